package com.suse.telemetry.bench;

import com.suse.telemetry.bench.Measurements.LatencyComparison;
import com.suse.telemetry.bench.Measurements.Store;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Measurements made up for tests of what reads them: by default, a run that meets every target;
 * each field changes one figure.
 */
final class SampleMeasurements {

  Plan plan = Plan.of(Mode.QUICK);
  double noOp1 = 30_000;
  double noOp100 = 20_000;
  double copy = 70_000;
  double validation = 320_000;
  Map<Integer, Double> collectorRequests =
      new HashMap<>(Map.of(1, 15_000.0, 10, 3_000.0, 100, 500.0, 1000, 50.0));
  double saturationMillis = 100;
  double collectorDiskMillis = 28;
  double commitDiskMillis = 20;
  double collectorMemoryMillis = 20;
  double commitMemoryMillis = 15;
  boolean memoryRun = true;
  double overloadAccepted = 490;
  double overloadMillis = 150;
  Tally overloadTally = new Tally(490 * 4, 500 * 4, 0, 0);
  double fixedAdmissionAccepted = 400;
  double fixedAdmissionMillis = 300;
  double scaleRequests = 460;
  long rowsOutsideTheMonths = 0;
  double millisBeforeDrop = 30;
  double millisDuringDrop = 45;
  double purgeSeconds = 2.5;
  List<Double> lockEpisodesMillis = List.of(120.0);
  double lockSamplingMillis = 8;
  boolean stillLocked = false;
  boolean partitionDropped = true;
  String purgeFailure = "";
  double peakHeapMib = 200;
  boolean outOfMemory = false;
  CpuUse cpu = new CpuUse(0.6, 0.35);

  Measurements build() {
    Map<Integer, LoadResult> collector = new HashMap<>();
    collectorRequests.forEach(
        (size, rate) -> collector.put(size, accepted(rate, 4, saturationMillis)));
    List<LatencyComparison> latency = new ArrayList<>();
    double rate = 0.7 * collectorRequests.get(100);
    latency.add(
        new LatencyComparison(
            Store.DISK,
            "PostgreSQL 15.18 (fsync on, synchronous_commit on)",
            rate,
            accepted(rate, 4, collectorDiskMillis),
            accepted(rate, 4, commitDiskMillis)));
    if (memoryRun) {
      latency.add(
          new LatencyComparison(
              Store.MEMORY,
              "PostgreSQL 15.14 (data on tmpfs in /dev/shm, fsync on, synchronous_commit on)",
              rate,
              accepted(rate, 4, collectorMemoryMillis),
              accepted(rate, 4, commitMemoryMillis)));
    }
    LoadResult overload =
        new LoadResult(
            4,
            overloadTally,
            latency(overloadTally.accepted(), overloadMillis),
            latency(overloadTally.total(), overloadMillis),
            cpu);
    Tally fixedTally = new Tally(Math.round(fixedAdmissionAccepted * 4), 1_500, 0, 0);
    LoadResult fixed =
        new LoadResult(
            4,
            fixedTally,
            latency(fixedTally.accepted(), fixedAdmissionMillis),
            latency(fixedTally.total(), fixedAdmissionMillis),
            cpu);
    return new Measurements(
        new Measurements.Environment(2, "PostgreSQL 15.18 (fsync on, synchronous_commit on)"),
        plan,
        validation,
        List.of(
            new Measurements.Round(
                Map.of(1, accepted(noOp1, 4, 1), 100, accepted(noOp100, 4, 2)), collector, copy)),
        latency,
        new Measurements.Overload(2 * collectorRequests.get(100), overload),
        new Measurements.Overload(2 * collectorRequests.get(100), fixed),
        scale(),
        retention(rate),
        new Measurements.Footprint(peakHeapMib, 2 * peakHeapMib, outOfMemory));
  }

  private Measurements.Scale scale() {
    List<Measurements.PartitionRows> partitions = new ArrayList<>();
    partitions.add(new Measurements.PartitionRows("telemetry_2026_12", plan.scaleRows() / 12));
    partitions.add(new Measurements.PartitionRows("telemetry_2027_01", plan.scaleRows() / 12));
    partitions.add(new Measurements.PartitionRows("telemetry_2027_02", 0));
    partitions.add(new Measurements.PartitionRows("telemetry_after", rowsOutsideTheMonths));
    partitions.add(new Measurements.PartitionRows("telemetry_before", 0));
    return new Measurements.Scale(
        plan.scaleRows(), partitions, accepted(scaleRequests, 4, saturationMillis));
  }

  private Measurements.Retention retention(double rate) {
    List<Measurements.DroppedPartition> dropped =
        partitionDropped
            ? List.of(
                new Measurements.DroppedPartition("telemetry_before", 0),
                new Measurements.DroppedPartition("telemetry_2026_12", plan.retentionRows()))
            : List.of();
    return new Measurements.Retention(
        plan.retentionRows(),
        "telemetry_2026_12",
        rate,
        accepted(rate, 4, millisBeforeDrop),
        accepted(rate, 6, millisDuringDrop),
        new Measurements.Purge(
            LocalDate.parse("2027-01-01"),
            purgeSeconds,
            dropped,
            partitionDropped ? plan.retentionRows() : 0,
            purgeFailure),
        new Measurements.TableLock(lockEpisodesMillis, lockSamplingMillis, stillLocked));
  }

  /** {@code rate} requests per second for {@code seconds}, all accepted, all in {@code millis}. */
  LoadResult accepted(double rate, double seconds, double millis) {
    long count = Math.round(rate * seconds);
    Latency latency = latency(count, millis);
    return new LoadResult(seconds, new Tally(count, 0, 0, 0), latency, latency, cpu);
  }

  /** {@code count} samples, every one of {@code millis}. */
  static Latency latency(long count, double millis) {
    Histogram histogram = Latency.recorder();
    histogram.recordValueWithCount(Math.round(millis * 1000), count);
    return Latency.of(histogram);
  }
}
