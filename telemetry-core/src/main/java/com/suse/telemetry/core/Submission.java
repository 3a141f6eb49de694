package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An accepted envelope, split into its records: what a store receives, and stores atomically.
 * Immutable.
 */
public final class Submission {

  private final UUID envelopeId;
  private final List<TelemetryRecord> records;

  private Submission(UUID envelopeId, List<TelemetryRecord> records) {
    this.envelopeId = envelopeId;
    this.records = List.copyOf(requireNonNull(records, "records"));
  }

  /** A submission whose envelope carried no id. */
  public static Submission of(List<TelemetryRecord> records) {
    return new Submission(null, records);
  }

  /**
   * A submission whose envelope carried {@code envelopeId}, the source's idempotency key: a store
   * that has seen the id stores nothing of a later submission with it.
   */
  public static Submission withEnvelopeId(UUID envelopeId, List<TelemetryRecord> records) {
    return new Submission(requireNonNull(envelopeId, "envelopeId"), records);
  }

  /** The envelope's idempotency key, if the source gave one. */
  public Optional<UUID> envelopeId() {
    return Optional.ofNullable(envelopeId);
  }

  /** The records, in payload order. */
  public List<TelemetryRecord> records() {
    return records;
  }

  @Override
  public String toString() {
    return "Submission[envelopeId=" + envelopeId + ", records=" + records.size() + "]";
  }
}
