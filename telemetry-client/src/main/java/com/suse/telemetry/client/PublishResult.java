package com.suse.telemetry.client;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.Violation;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * What became of one published envelope. Invalid or refused telemetry is a result, not an
 * exception: check {@link #outcome()} (or {@link #isAccepted()}) and read {@link #violations()}.
 * Immutable.
 */
public final class PublishResult {

  /** How publishing an envelope ended. */
  public enum Outcome {
    /** The collector answered 202: every record is stored, or was already. */
    ACCEPTED,
    /**
     * Local validation failed; nothing was sent or spooled. {@link #violations()} says why, with
     * pointers into the envelope.
     */
    INVALID,
    /**
     * The collector refused the envelope for good (a 4xx other than 408 and 429, or an answer a
     * collector does not give); it was not retried and left the spool. {@link #violations()} holds
     * the problem's errors.
     */
    REFUSED,
    /**
     * Not acknowledged within the time budget, or before the publisher closed; the envelope stays
     * in the spool and is sent again by {@link TelemetryPublisher#resendSpooled()}, after a later
     * acceptance, or by the next publisher on the same spool directory (unless a full spool drops
     * it first to make room).
     */
    SPOOLED,
    /**
     * Not acknowledged within the time budget, or before the publisher closed, and not in a spool
     * (there is none, or it was full): the envelope is given up.
     */
    FAILED
  }

  private final Outcome outcome;
  private final UUID envelopeId;
  private final int accepted;
  private final int duplicates;
  private final int status;
  private final List<Violation> violations;
  private final String detail;
  private final int attempts;

  private PublishResult(
      Outcome outcome,
      UUID envelopeId,
      int accepted,
      int duplicates,
      int status,
      List<Violation> violations,
      String detail,
      int attempts) {
    this.outcome = outcome;
    this.envelopeId = envelopeId;
    this.accepted = accepted;
    this.duplicates = duplicates;
    this.status = status;
    this.violations = List.copyOf(violations);
    this.detail = requireNonNull(detail, "detail");
    this.attempts = attempts;
  }

  static PublishResult accepted(UUID id, int accepted, int duplicates, int attempts) {
    return new PublishResult(
        Outcome.ACCEPTED,
        requireNonNull(id, "id"),
        accepted,
        duplicates,
        202,
        List.of(),
        accepted + " accepted, " + duplicates + " duplicates",
        attempts);
  }

  static PublishResult invalid(List<Violation> violations) {
    String count = violations.size() + (violations.size() == 1 ? " violation" : " violations");
    return new PublishResult(
        Outcome.INVALID, null, 0, 0, 0, violations, count + "; nothing was sent", 0);
  }

  static PublishResult refused(
      UUID id, int status, String detail, List<Violation> errors, int attempts) {
    return new PublishResult(
        Outcome.REFUSED, requireNonNull(id, "id"), 0, 0, status, errors, detail, attempts);
  }

  static PublishResult givenUp(
      UUID id, boolean spooled, int lastStatus, String detail, int attempts) {
    return new PublishResult(
        spooled ? Outcome.SPOOLED : Outcome.FAILED,
        requireNonNull(id, "id"),
        0,
        0,
        lastStatus,
        List.of(),
        detail,
        attempts);
  }

  /** How publishing ended. */
  public Outcome outcome() {
    return outcome;
  }

  /** Whether the collector acknowledged the envelope (202). */
  public boolean isAccepted() {
    return outcome == Outcome.ACCEPTED;
  }

  /** The envelope's id (its idempotency key), unless local validation refused it. */
  public Optional<UUID> envelopeId() {
    return Optional.ofNullable(envelopeId);
  }

  /** Records the collector stored from this envelope; 0 unless accepted. */
  public int accepted() {
    return accepted;
  }

  /**
   * Records the collector already had (the envelope, or these records, came before); 0 unless
   * accepted. An envelope whose earlier attempt was stored but not acknowledged counts here.
   */
  public int duplicates() {
    return duplicates;
  }

  /** The HTTP status of the collector's last answer, if one came. */
  public OptionalInt status() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /**
   * Why the envelope was refused: the local validator's violations (for {@link Outcome#INVALID}) or
   * the errors of the collector's problem details (for {@link Outcome#REFUSED}); empty otherwise.
   */
  public List<Violation> violations() {
    return violations;
  }

  /** A sentence on what happened, for a log or a person. */
  public String detail() {
    return detail;
  }

  /** How many times the envelope was sent to the collector. */
  public int attempts() {
    return attempts;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(outcome.name().toLowerCase(Locale.ROOT));
    if (envelopeId != null) {
      text.append(" envelope ").append(envelopeId);
    }
    text.append(": ").append(detail);
    violations.forEach(v -> text.append("\n  ").append(v));
    return text.toString();
  }
}
