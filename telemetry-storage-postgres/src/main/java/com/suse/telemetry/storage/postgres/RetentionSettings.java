package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * How long the store keeps telemetry and envelope ids, and how far ahead it prepares its monthly
 * partitions; the settings are declared here.
 *
 * @param months whole months of records kept, counted back from the current month; 0 keeps
 *     everything
 * @param envelopeIds how long the ids of envelopes received are remembered to refuse re-sent ones
 * @param monthsAhead monthly partitions kept ready beyond the current month
 */
public record RetentionSettings(int months, Duration envelopeIds, int monthsAhead) {

  /** Months of telemetry kept. */
  public static final Setting<Integer> RETENTION_MONTHS =
      Setting.integer(
          "retention-months",
          0,
          1200,
          0,
          "months of telemetry kept, by record time: older months are dropped whole (0: keep"
              + " everything)");

  /** How long envelope ids are remembered. */
  public static final Setting<Duration> ENVELOPE_ID_RETENTION =
      Setting.duration(
          "envelope-id-retention",
          Duration.ofDays(1),
          Duration.ofDays(36_500),
          Duration.ofDays(90),
          "how long the ids of envelopes received are remembered: an envelope re-sent with the"
              + " same id within it stores nothing twice (its records are duplicates anyway)");

  /** Monthly partitions made ahead of need. */
  public static final Setting<Integer> PARTITIONS_AHEAD =
      Setting.integer(
          "partitions-ahead",
          1,
          120,
          PostgresPartitions.DEFAULT_MONTHS_AHEAD,
          "monthly partitions of the telemetry table kept ready beyond the current month");

  /** Every setting of retention and partitioning. */
  public static final List<Setting<?>> SETTINGS =
      List.of(RETENTION_MONTHS, ENVELOPE_ID_RETENTION, PARTITIONS_AHEAD);

  /** Checks the settings. */
  public RetentionSettings {
    if (months < 0 || monthsAhead < 1 || envelopeIds.isNegative() || envelopeIds.isZero()) {
      throw new IllegalArgumentException("retention and partitions must be positive");
    }
  }

  /** The configuration from {@code values}. */
  public static RetentionSettings from(SettingValues values) {
    return new RetentionSettings(
        values.get(RETENTION_MONTHS),
        values.get(ENVELOPE_ID_RETENTION),
        values.get(PARTITIONS_AHEAD));
  }

  /**
   * The time before which records are dropped at {@code now}: the start of the month {@code months}
   * months before the current one (UTC); empty when everything is kept.
   */
  public Optional<Instant> recordCutoff(Instant now) {
    if (months == 0) {
      return Optional.empty();
    }
    return Optional.of(
        now.atOffset(ZoneOffset.UTC)
            .withDayOfMonth(1)
            .toLocalDate()
            .atStartOfDay(ZoneOffset.UTC)
            .minusMonths(months)
            .toInstant());
  }
}
