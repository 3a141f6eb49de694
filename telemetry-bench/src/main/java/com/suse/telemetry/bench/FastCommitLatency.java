package com.suse.telemetry.bench;

import java.util.Locale;

/**
 * Where PostgreSQL commits fast (K-COMMIT's p99 under {@code commitBelowMillis}), the collector's
 * p99 at 70% load stays under {@code limitMillis}: a fast database leaves the collector no excuse.
 */
record FastCommitLatency(Measurements.Store store, double commitBelowMillis, double limitMillis)
    implements Target {

  @Override
  public String description() {
    return String.format(
        Locale.ROOT,
        "p99 at 70%% load, %s <= %.0f ms where K-COMMIT's p99 < %.0f ms",
        store.label,
        limitMillis,
        commitBelowMillis);
  }

  @Override
  public Verdict evaluate(Measurements measurements) {
    return measurements
        .latency(store)
        .map(
            comparison -> {
              double collector = comparison.collector().all().millisAt(99);
              double commit = comparison.commit().all().millisAt(99);
              if (!(commit < commitBelowMillis)) {
                return Verdict.notApplicable(
                    String.format(Locale.ROOT, "K-COMMIT's p99 is %.1f ms", commit));
              }
              return Verdict.of(
                  collector <= limitMillis,
                  String.format(Locale.ROOT, "%.1f ms; K-COMMIT's %.1f ms", collector, commit));
            })
        .orElse(Verdict.notApplicable("not measured"));
  }
}
