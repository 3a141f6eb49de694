package com.suse.telemetry.core;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of ingesting one submission: accepted (and stored) with counts, or rejected with
 * every violation. Immutable.
 */
public final class IngestionResult {

  private final TelemetryTypeId type;
  private final int accepted;
  private final int duplicates;
  private final List<Violation> violations;
  private final RejectionReason reason;

  private IngestionResult(
      TelemetryTypeId type,
      int accepted,
      int duplicates,
      List<Violation> violations,
      RejectionReason reason) {
    this.type = type;
    this.accepted = accepted;
    this.duplicates = duplicates;
    this.violations = violations;
    this.reason = reason;
  }

  static IngestionResult stored(TelemetryTypeId type, int accepted, int duplicates) {
    return new IngestionResult(type, accepted, duplicates, List.of(), null);
  }

  static IngestionResult rejected(ValidationResult validation) {
    return new IngestionResult(
        validation.type().orElse(null),
        0,
        0,
        validation.violations(),
        validation.rejectionReason().orElseThrow());
  }

  /** Whether the submission was valid and is now durably stored. */
  public boolean isAccepted() {
    return violations.isEmpty();
  }

  /**
   * The telemetry type the submission claimed, if it could be read and is known; always present
   * when accepted.
   */
  public Optional<TelemetryTypeId> type() {
    return Optional.ofNullable(type);
  }

  /** Records newly stored. */
  public int accepted() {
    return accepted;
  }

  /** Records that were already stored, so were not stored again. */
  public int duplicates() {
    return duplicates;
  }

  /** Why the submission was rejected as a whole; empty when it was accepted. */
  public Optional<RejectionReason> rejectionReason() {
    return Optional.ofNullable(reason);
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
