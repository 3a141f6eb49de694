package com.suse.telemetry.core.quarantine;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.time.Duration;
import java.util.List;

/**
 * How submissions rejected by validation are kept; its settings are declared here.
 *
 * @param enabled whether they are kept at all
 * @param maxBytes the quarantine's size cap: bodies and violations, over all entries
 * @param retention how long an entry is kept after it was last received
 * @param maxMalformedBytes how much of a body that is not even JSON is kept
 * @param bufferBytes memory for rejected bodies waiting to be written
 */
public record QuarantineSettings(
    boolean enabled, long maxBytes, Duration retention, long maxMalformedBytes, long bufferBytes) {

  /** Whether rejected submissions are kept. */
  public static final Setting<Boolean> ENABLED =
      Setting.flag(
          "quarantine",
          true,
          "keep submissions rejected by validation (400) in PostgreSQL, to inspect and replay"
              + " with 'quarantine' commands");

  /** The size cap. */
  public static final Setting<Long> MAX_SIZE =
      Setting.bytes(
          "quarantine-max-size",
          1L << 10,
          1L << 40,
          1L << 30,
          "most the quarantine holds (bodies and violations); beyond it, the entries received"
              + " longest ago are dropped");

  /** The retention period. */
  public static final Setting<Duration> RETENTION =
      Setting.duration(
          "quarantine-retention",
          Duration.ofMinutes(1),
          Duration.ofDays(3650),
          Duration.ofDays(30),
          "how long a quarantined submission is kept after it was last received");

  /** The part of a malformed body that is kept. */
  public static final Setting<Long> MAX_MALFORMED_SIZE =
      Setting.bytes(
          "quarantine-max-malformed-size",
          0,
          1L << 30,
          64L << 10,
          "how much of a body that is not even JSON is kept (its beginning)");

  /** Memory for bodies waiting to be written. */
  public static final Setting<Long> BUFFER =
      Setting.bytes(
          "quarantine-buffer",
          64L << 10,
          1L << 30,
          16L << 20,
          "memory for rejected bodies waiting to be written to the quarantine; beyond it they are"
              + " not kept, and counted");

  /** Every setting of the quarantine, in the order help lists them. */
  public static final List<Setting<?>> SETTINGS =
      List.of(ENABLED, MAX_SIZE, RETENTION, MAX_MALFORMED_SIZE, BUFFER);

  /** Checks the settings. */
  public QuarantineSettings {
    requireNonNull(retention, "retention");
    if (maxBytes < 1 || maxMalformedBytes < 0 || bufferBytes < 1) {
      throw new IllegalArgumentException("quarantine sizes must be positive");
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive");
    }
  }

  /** The quarantine's configuration from {@code values}. */
  public static QuarantineSettings from(SettingValues values) {
    return new QuarantineSettings(
        values.get(ENABLED),
        values.get(MAX_SIZE),
        values.get(RETENTION),
        values.get(MAX_MALFORMED_SIZE),
        values.get(BUFFER));
  }

  /** Every default. */
  public static QuarantineSettings defaults() {
    return from(SettingValues.defaults());
  }
}
