package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One partition of the {@code telemetry} table: the records whose time lies in {@code [from, to)}.
 * The partition below the months has no lower bound, the one above them no upper bound (null).
 *
 * @param name the table's name, e.g. {@code telemetry_2024_05}
 * @param from the first record time it holds, or null for none (the before partition)
 * @param to the first record time past it, or null for none (the after partition)
 */
record TelemetryPartition(String name, Instant from, Instant to) {

  static final String BEFORE = "telemetry_before";
  static final String AFTER = "telemetry_after";
  private static final DateTimeFormatter MONTH_NAME =
      DateTimeFormatter.ofPattern("'telemetry_'uuuu'_'MM", Locale.ROOT);

  TelemetryPartition {
    requireNonNull(name, "name");
  }

  /** The partition of {@code month} (UTC). */
  static TelemetryPartition month(YearMonth month) {
    return new TelemetryPartition(
        month.format(MONTH_NAME), start(month), start(month.plusMonths(1)));
  }

  /** The instant {@code month} starts, in UTC. */
  static Instant start(YearMonth month) {
    return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Whether this is the partition below the months. */
  boolean isBefore() {
    return from == null;
  }

  /** Whether this is the partition above the months. */
  boolean isAfter() {
    return to == null;
  }

  /** Whether every record this partition can hold is older than {@code cutoff}. */
  boolean endsBy(Instant cutoff) {
    return to != null && !to.isAfter(cutoff);
  }
}
