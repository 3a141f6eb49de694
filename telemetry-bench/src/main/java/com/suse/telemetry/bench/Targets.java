package com.suse.telemetry.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The targets a run is judged by. Each reads typed measurements; a new measurement brings its
 * target here.
 */
final class Targets {

  private Targets() {}

  /** A target and what the measurements made of it. */
  record Evaluation(Target target, Verdict verdict) {}

  /** Every target, for a run planned as {@code plan}. */
  static List<Target> of(Plan plan) {
    List<Target> targets = new ArrayList<>();
    targets.add(
        Threshold.atLeast(
            "E2E records/s, 100-record envelopes >= 0.7 x K-COPY",
            0.7,
            "%.2f",
            m ->
                OptionalDouble.of(
                    m.endToEnd(Plan.REFERENCE_SIZE).recordsPerSecond()
                        / m.copyRecordsPerSecond())));
    targets.add(
        Threshold.atLeast(
            "E2E requests/s, 1-record envelopes >= 0.45 x K-H",
            0.45,
            "%.2f",
            m ->
                OptionalDouble.of(m.endToEnd(1).requestsPerSecond() / m.noOpRequestsPerSecond(1))));
    targets.add(
        Threshold.atLeast(
            "K-V >= 300,000 records/s on one thread",
            300_000,
            "%.0f",
            m -> OptionalDouble.of(m.validationRecordsPerSecond())));
    for (Measurements.Store store : Measurements.Store.values()) {
      targets.add(new LatencyVersusCommit(store, 1.5));
      targets.add(new FastCommitLatency(store, 30, 50));
    }
    targets.add(
        Threshold.atLeast(
            "2x overload: accepted >= 0.95 x the maximum",
            0.95,
            "%.2f",
            m ->
                OptionalDouble.of(
                    m.overload().result().acceptedPerSecond() / m.maximumRequestsPerSecond())));
    targets.add(
        Threshold.atMost(
            "2x overload: accepted p99 <= 2 x their p99 at saturation",
            2,
            "%.2f",
            m ->
                OptionalDouble.of(
                    m.overload().result().accepted().millisAt(99)
                        / m.endToEnd(Plan.REFERENCE_SIZE).latency().millisAt(99))));
    targets.add(new CleanShedding());
    targets.add(new HeapWithinLimit(plan.collectorHeap()));
    targets.add(
        Threshold.atLeast(
            String.format(
                Locale.ROOT,
                "E2E at %d rows in %d monthly partitions >= 0.9 x the empty table",
                plan.scaleRows(),
                Plan.SCALE_MONTHS),
            0.9,
            "%.2f",
            m ->
                OptionalDouble.of(
                    m.scale().recordsPerSecond()
                        / m.endToEnd(Plan.REFERENCE_SIZE).recordsPerSecond())));
    targets.add(new RetentionDrop(plan.retentionRows(), 1_000));
    targets.add(
        Threshold.atMost(
            "Retention: p99 during the drop <= 2 x p99 before",
            2,
            "%.2f",
            m ->
                OptionalDouble.of(
                    m.retention().during().all().millisAt(99)
                        / m.retention().before().all().millisAt(99))));
    return targets;
  }

  /** Every target of {@code measurements}' plan, evaluated. */
  static List<Evaluation> evaluate(Measurements measurements) {
    return of(measurements.plan()).stream()
        .map(target -> new Evaluation(target, target.evaluate(measurements)))
        .toList();
  }
}
