package com.suse.telemetry.bench;

import java.util.Locale;

/**
 * Dropping a month of {@code rows} rows takes the collector less than {@code limitMillis} of the
 * table's time: the time its exclusive lock is held or waited for, when ingestion cannot insert.
 * The purge command's whole time (its JVM's start, and counting what it dropped for its log, with
 * the table unlocked) is shown beside it, not judged.
 */
record RetentionDrop(long rows, double limitMillis) implements Target {

  @Override
  public String description() {
    return String.format(
        Locale.ROOT,
        "Retention: dropping a month of %d rows locks the table < %.0f s",
        rows,
        limitMillis / 1000);
  }

  @Override
  public Verdict evaluate(Measurements measurements) {
    Measurements.Retention retention = measurements.retention();
    Measurements.TableLock lock = retention.lock();
    String command =
        String.format(Locale.ROOT, "purge command %.1f s", retention.purge().seconds());
    if (!retention.purge().failure().isEmpty()) {
      return Verdict.of(false, "the purge command failed; " + command);
    }
    if (retention.purge().dropped().isEmpty()) {
      return Verdict.of(false, "no partition dropped; " + command);
    }
    if (lock.stillLocked()) {
      return Verdict.of(false, "still locked when the window ended; " + command);
    }
    double locked = lock.atMostMillis();
    String measured =
        lock.episodesMillis().isEmpty()
            ? String.format(Locale.ROOT, "under %.0f ms, between two samples; %s", locked, command)
            : String.format(Locale.ROOT, "%.0f ms locked; %s", locked, command);
    return Verdict.of(locked < limitMillis, measured);
  }
}
