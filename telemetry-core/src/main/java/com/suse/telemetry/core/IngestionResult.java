package com.suse.telemetry.core;

import java.util.List;

/**
 * The outcome of ingesting one submission: accepted (and stored) with counts, or rejected with
 * every violation. Immutable.
 */
public final class IngestionResult {

  private final int accepted;
  private final int duplicates;
  private final List<Violation> violations;

  private IngestionResult(int accepted, int duplicates, List<Violation> violations) {
    this.accepted = accepted;
    this.duplicates = duplicates;
    this.violations = violations;
  }

  static IngestionResult stored(int accepted, int duplicates) {
    return new IngestionResult(accepted, duplicates, List.of());
  }

  static IngestionResult rejected(List<Violation> violations) {
    return new IngestionResult(0, 0, List.copyOf(violations));
  }

  /** Whether the submission was valid and is now durably stored. */
  public boolean isAccepted() {
    return violations.isEmpty();
  }

  /** Records newly stored. */
  public int accepted() {
    return accepted;
  }

  /** Records that were already stored, so were not stored again. */
  public int duplicates() {
    return duplicates;
  }

  /** Why the submission was rejected; empty when it was accepted. */
  public List<Violation> violations() {
    return violations;
  }

  @Override
  public String toString() {
    return isAccepted()
        ? "accepted " + accepted + ", duplicates " + duplicates
        : "rejected: " + violations;
  }
}
