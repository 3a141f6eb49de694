package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.time.Duration;
import java.util.List;

/**
 * How records are forwarded from the outbox to every secondary sink; its settings are declared
 * here, and apply to each sink's {@link OutboxForwarder}.
 *
 * @param batchSize most records claimed and handed to a sink at a time
 * @param lease how long a claimed batch stays leased to the replica delivering it; then another
 *     replica takes it over
 * @param maxAttempts how many times a record may fail on its own before it is parked
 * @param parkAfter how long a record may keep failing on its own before it is parked, whatever its
 *     attempts
 * @param degradedAfter how long the oldest pending record may wait before readiness reports the
 *     sink degraded
 */
public record ForwardingSettings(
    int batchSize, Duration lease, int maxAttempts, Duration parkAfter, Duration degradedAfter) {

  /** Records per batch. */
  public static final Setting<Integer> BATCH_SIZE =
      Setting.integer(
          "outbox-batch-size",
          1,
          100_000,
          5000,
          "most records claimed from the outbox and handed to a sink at a time");

  /** Lease of a claimed batch. */
  public static final Setting<Duration> LEASE =
      Setting.duration(
          "outbox-lease",
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          Duration.ofMinutes(2),
          "how long a batch claimed from the outbox stays leased to the replica delivering it;"
              + " once it runs out (the replica died), another replica delivers the batch");

  /** Attempts before parking. */
  public static final Setting<Integer> MAX_ATTEMPTS =
      Setting.integer(
          "outbox-max-attempts",
          1,
          1000,
          10,
          "how many times a record may fail on its own, while other records reach the sink,"
              + " before it is parked");

  /** Time before parking. */
  public static final Setting<Duration> PARK_AFTER =
      Setting.duration(
          "outbox-park-after",
          Duration.ofSeconds(1),
          Duration.ofDays(30),
          Duration.ofHours(1),
          "how long a record may keep failing on its own, while other records reach the sink,"
              + " before it is parked, whatever its attempts");

  /** Lag before readiness says degraded. */
  public static final Setting<Duration> DEGRADED_AFTER =
      Setting.duration(
          "outbox-degraded-after",
          Duration.ofSeconds(1),
          Duration.ofDays(1),
          Duration.ofMinutes(5),
          "how long the oldest record waiting for a sink may wait before readiness reports the"
              + " sink DEGRADED");

  /** Every forwarding setting, in the order help lists them. */
  public static final List<Setting<?>> SETTINGS =
      List.of(BATCH_SIZE, LEASE, MAX_ATTEMPTS, PARK_AFTER, DEGRADED_AFTER);

  /** Checks the settings. */
  public ForwardingSettings {
    if (batchSize < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("batchSize and maxAttempts must be 1 or more");
    }
    requireNonNull(lease, "lease");
    requireNonNull(parkAfter, "parkAfter");
    requireNonNull(degradedAfter, "degradedAfter");
  }

  /** The defaults. */
  public static ForwardingSettings defaults() {
    return from(SettingValues.defaults());
  }

  /** The forwarding {@code values} describe. */
  public static ForwardingSettings from(SettingValues values) {
    return new ForwardingSettings(
        values.get(BATCH_SIZE),
        values.get(LEASE),
        values.get(MAX_ATTEMPTS),
        values.get(PARK_AFTER),
        values.get(DEGRADED_AFTER));
  }
}
