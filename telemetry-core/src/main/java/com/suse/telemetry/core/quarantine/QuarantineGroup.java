package com.suse.telemetry.core.quarantine;

import java.time.Instant;

/**
 * Quarantined submissions that claimed the same telemetry type and failed first on the same
 * violation: what an operator reads first.
 *
 * @param application the claimed application, or null when unknown
 * @param telemetryType the claimed telemetry type, or null when unknown
 * @param firstViolation the first violation, as {@link QuarantinedSubmission#firstViolation()}
 * @param entries how many different bodies
 * @param timesReceived how many submissions, repeats included
 * @param lastReceived when the latest of them arrived
 * @param latestId the id of the latest entry, to show
 */
public record QuarantineGroup(
    String application,
    String telemetryType,
    String firstViolation,
    long entries,
    long timesReceived,
    Instant lastReceived,
    long latestId) {

  /** The claimed type as {@code application/type}, or {@code unknown}. */
  public String claimedType() {
    return application == null
        ? "unknown"
        : application + "/" + (telemetryType == null ? "?" : telemetryType);
  }
}
