package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The outcome of validating a submission: either the accepted {@link Submission}, or every {@link
 * Violation} found. Immutable.
 */
public final class ValidationResult {

  private final Submission submission;
  private final List<Violation> violations;

  private ValidationResult(Submission submission, List<Violation> violations) {
    this.submission = submission;
    this.violations = violations;
  }

  static ValidationResult valid(Submission submission) {
    return new ValidationResult(requireNonNull(submission, "submission"), List.of());
  }

  static ValidationResult invalid(List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an invalid result needs at least one violation");
    }
    return new ValidationResult(null, List.copyOf(violations));
  }

  /** Whether the submission is valid. */
  public boolean isValid() {
    return submission != null;
  }

  /** Every violation found, in document order as far as possible; empty when valid. */
  public List<Violation> violations() {
    return violations;
  }

  /**
   * The accepted submission.
   *
   * @throws IllegalStateException if the submission was invalid
   */
  public Submission submission() {
    if (submission == null) {
      throw new IllegalStateException("invalid submission has no records: " + violations);
    }
    return submission;
  }

  @Override
  public String toString() {
    return isValid()
        ? "valid: " + submission.records().size() + " records"
        : "invalid: " + violations;
  }
}
