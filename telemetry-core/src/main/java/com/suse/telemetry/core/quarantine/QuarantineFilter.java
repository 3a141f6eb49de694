package com.suse.telemetry.core.quarantine;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryTypeId;
import java.time.Instant;

/**
 * Which quarantined submissions an operation takes: all, or those of one claimed telemetry type,
 * last received within a time range.
 *
 * @param application the claimed application, or null for any
 * @param telemetryType the claimed telemetry type (with the application), or null for any
 * @param receivedSince only those last received at or after this, or null
 * @param receivedBefore only those last received before this, or null
 */
public record QuarantineFilter(
    String application, String telemetryType, Instant receivedSince, Instant receivedBefore) {

  private static final QuarantineFilter ALL = new QuarantineFilter(null, null, null, null);

  /** Checks that a telemetry type comes with its application. */
  public QuarantineFilter {
    if (telemetryType != null && application == null) {
      throw new IllegalArgumentException("a telemetry type needs its application");
    }
  }

  /** Every quarantined submission. */
  public static QuarantineFilter all() {
    return ALL;
  }

  /**
   * Parses {@code application/type} into a filter on that type.
   *
   * @throws IllegalArgumentException if it is not two valid names separated by a slash
   */
  public static QuarantineFilter ofType(String applicationSlashType) {
    String[] parts = requireNonNull(applicationSlashType, "applicationSlashType").split("/", -1);
    if (parts.length != 2
        || !TelemetryTypeId.isValidName(parts[0])
        || !TelemetryTypeId.isValidName(parts[1])) {
      throw new IllegalArgumentException(
          "must be application/telemetry_type, e.g. trento/host_telemetry");
    }
    return new QuarantineFilter(parts[0], parts[1], null, null);
  }

  /** This filter, also taking only those last received at or after {@code since}. */
  public QuarantineFilter since(Instant since) {
    return new QuarantineFilter(application, telemetryType, requireNonNull(since), receivedBefore);
  }

  /** This filter, also taking only those last received before {@code before}. */
  public QuarantineFilter before(Instant before) {
    return new QuarantineFilter(application, telemetryType, receivedSince, requireNonNull(before));
  }

  /** Whether {@code entry} passes this filter. */
  public boolean test(QuarantinedSubmission entry) {
    return (application == null || application.equals(entry.application()))
        && (telemetryType == null || telemetryType.equals(entry.telemetryType()))
        && (receivedSince == null || !entry.lastReceived().isBefore(receivedSince))
        && (receivedBefore == null || entry.lastReceived().isBefore(receivedBefore));
  }
}
