package com.suse.telemetry.bench;

import java.util.List;
import java.util.Locale;

/**
 * How long and how big a run is: {@code full} to judge targets by, {@code quick} to look at a
 * change (its short windows are too noisy to judge by), {@code smoke} to check that every
 * measurement still works.
 *
 * @param serverWarmup seconds each server is driven before anything is measured
 * @param warmup seconds of each closed-loop measurement that are not counted
 * @param seconds seconds of each closed-loop measurement that are counted
 * @param openLoopSeconds seconds of each open-loop (latency, overload) window
 * @param rounds rounds of ceilings and collector in alternation
 * @param sizes envelope sizes measured end to end, in records
 * @param copyRows rows each K-COPY copies
 * @param scaleRows rows in the table, over {@link Plan#SCALE_MONTHS} months, for the scale
 *     measurement
 * @param retentionRows rows of the month the retention measurement drops
 */
enum Mode {
  FULL(60, 5, 15, 60, 3, List.of(1, 10, 100, 1000), 300_000, 20_000_000, 5_000_000),
  QUICK(8, 2, 4, 4, 1, List.of(1, 10, 100, 1000), 100_000, 120_000, 100_000),
  SMOKE(1, 0.5, 1, 1, 1, List.of(1, 100), 10_000, 1_200, 1_000);

  final double serverWarmup;
  final double warmup;
  final double seconds;
  final double openLoopSeconds;
  final int rounds;
  final List<Integer> sizes;
  final long copyRows;
  final long scaleRows;
  final long retentionRows;

  Mode(
      double serverWarmup,
      double warmup,
      double seconds,
      double openLoopSeconds,
      int rounds,
      List<Integer> sizes,
      long copyRows,
      long scaleRows,
      long retentionRows) {
    this.serverWarmup = serverWarmup;
    this.warmup = warmup;
    this.seconds = seconds;
    this.openLoopSeconds = openLoopSeconds;
    this.rounds = rounds;
    this.sizes = sizes;
    this.copyRows = copyRows;
    this.scaleRows = scaleRows;
    this.retentionRows = retentionRows;
  }

  /** The mode's name as the command line and the report spell it. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
