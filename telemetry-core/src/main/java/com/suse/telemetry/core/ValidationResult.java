package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of validating a submission: either the accepted {@link Submission}, or every {@link
 * Violation} found. Immutable.
 */
public final class ValidationResult {

  private final TelemetryTypeId type;
  private final Submission submission;
  private final List<Violation> violations;
  private final RejectionReason reason;

  private ValidationResult(
      TelemetryTypeId type,
      Submission submission,
      List<Violation> violations,
      RejectionReason reason) {
    this.type = type;
    this.submission = submission;
    this.violations = violations;
    this.reason = reason;
  }

  static ValidationResult valid(TelemetryTypeId type, Submission submission) {
    return new ValidationResult(
        requireNonNull(type, "type"), requireNonNull(submission, "submission"), List.of(), null);
  }

  static ValidationResult invalid(
      TelemetryTypeId typeIfKnown, RejectionReason reason, List<Violation> violations) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("an invalid result needs at least one violation");
    }
    return new ValidationResult(
        typeIfKnown, null, List.copyOf(violations), requireNonNull(reason, "reason"));
  }

  /**
   * The telemetry type the submission claimed, if it could be read and is known; always present
   * when valid.
   */
  public Optional<TelemetryTypeId> type() {
    return Optional.ofNullable(type);
  }

  /** Whether the submission is valid. */
  public boolean isValid() {
    return submission != null;
  }

  /** Why the submission was rejected as a whole; empty when valid. */
  public Optional<RejectionReason> rejectionReason() {
    return Optional.ofNullable(reason);
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
