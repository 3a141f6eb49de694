package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One record of accepted telemetry: an element of an array payload, or a whole non-array payload.
 *
 * @param type the telemetry type and schema version the record follows
 * @param time when the record happened: its record-time property, else the envelope's time; with
 *     the nanoseconds it was sent with
 * @param receivedAt when the collector received it
 * @param identity what identifies the record for de-duplication: 32 hex digits derived from the
 *     type's identity fields, or from the whole record's content when it declares none
 * @param json the record as compact JSON, exactly the values the source sent
 */
public record TelemetryRecord(
    TelemetryTypeId type, Instant time, Instant receivedAt, String identity, String json) {

  /** Checks that every part is present. */
  public TelemetryRecord {
    requireNonNull(type, "type");
    requireNonNull(time, "time");
    requireNonNull(receivedAt, "receivedAt");
    requireNonNull(identity, "identity");
    requireNonNull(json, "json");
  }
}
