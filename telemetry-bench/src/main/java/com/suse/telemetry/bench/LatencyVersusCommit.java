package com.suse.telemetry.bench;

import java.util.Locale;

/**
 * The collector's p99 at 70% load against PostgreSQL's own at the same rate (K-COMMIT): the
 * collector may add at most {@code factor} to what committing the same transactions costs.
 */
record LatencyVersusCommit(Measurements.Store store, double factor) implements Target {

  @Override
  public String description() {
    return String.format(
        Locale.ROOT, "p99 at 70%% load, %s <= %.1f x K-COMMIT's p99", store.label, factor);
  }

  @Override
  public Verdict evaluate(Measurements measurements) {
    return measurements
        .latency(store)
        .map(
            comparison -> {
              double collector = comparison.collector().all().millisAt(99);
              double commit = comparison.commit().all().millisAt(99);
              return Verdict.of(
                  collector <= factor * commit,
                  String.format(
                      Locale.ROOT,
                      "%.2fx: %.1f ms vs %.1f ms",
                      collector / commit,
                      collector,
                      commit));
            })
        .orElse(Verdict.notApplicable("not measured"));
  }
}
