package com.suse.telemetry.bench;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Everything one run measured, typed: the targets, the report and the picture read only this.
 * Throughputs are medians over the rounds; latencies merge every round's samples.
 *
 * @param environment where the run ran
 * @param plan what the run measured
 * @param validationRecordsPerSecond K-V: parse, validate and split on one thread
 * @param rounds each round's ceilings and collector throughputs
 * @param latency the latency comparisons at 70% load: on disk, and in memory when run
 * @param overload the collector at twice its maximum, admission adaptive (its default)
 * @param fixedAdmission another collector at the same rate, admission fixed
 * @param scale the collector once the table holds many rows over many months
 * @param retention the collector while a month of rows is dropped
 * @param footprint the collector's memory over the on-disk run
 */
record Measurements(
    Environment environment,
    Plan plan,
    double validationRecordsPerSecond,
    List<Round> rounds,
    List<LatencyComparison> latency,
    Overload overload,
    Overload fixedAdmission,
    Scale scale,
    Retention retention,
    Footprint footprint) {

  Measurements {
    requireNonNull(environment, "environment");
    requireNonNull(plan, "plan");
    requireNonNull(overload, "overload");
    requireNonNull(fixedAdmission, "fixedAdmission");
    requireNonNull(scale, "scale");
    requireNonNull(retention, "retention");
    requireNonNull(footprint, "footprint");
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("no rounds measured");
    }
    rounds = List.copyOf(rounds);
    latency = List.copyOf(latency);
  }

  /**
   * Where the run ran.
   *
   * @param cores processors the JVM sees
   * @param postgres the on-disk PostgreSQL: version, fsync and synchronous_commit
   */
  record Environment(int cores, String postgres) {}

  /**
   * One round of ceilings and collector in alternation.
   *
   * @param noOp K-H by body size in records
   * @param collector E2E by envelope size in records
   * @param copyRecordsPerSecond K-COPY
   */
  record Round(
      Map<Integer, LoadResult> noOp,
      Map<Integer, LoadResult> collector,
      double copyRecordsPerSecond) {

    Round {
      noOp = Map.copyOf(noOp);
      collector = Map.copyOf(collector);
    }
  }

  /**
   * The collector saturated with {@code size}-record envelopes, over all rounds: medians of the
   * rates and of the processors' use, every latency sample, every answer.
   */
  record EndToEnd(
      int size, int clients, double requestsPerSecond, Latency latency, Tally tally, CpuUse cpu) {

    double recordsPerSecond() {
      return requestsPerSecond * size;
    }
  }

  /** Where PostgreSQL keeps its data in a latency comparison. */
  enum Store {
    DISK("on disk"),
    MEMORY("in memory");

    final String label;

    Store(String label) {
      this.label = label;
    }
  }

  /**
   * The collector and K-COMMIT at the same open-loop rate on the same PostgreSQL.
   *
   * @param store where PostgreSQL keeps its data
   * @param postgres that PostgreSQL: version, where its data is, fsync and synchronous_commit
   * @param rate requests (transactions) per second offered to each
   * @param collector the collector's 100-record envelopes
   * @param commit K-COMMIT's 100-record transactions
   */
  record LatencyComparison(
      Store store, String postgres, double rate, LoadResult collector, LoadResult commit) {}

  /** The collector offered {@code rate} 100-record envelopes per second, twice its maximum. */
  record Overload(double rate, LoadResult result) {}

  /**
   * The collector saturated with 100-record envelopes, as in the rounds, once the table held {@code
   * rows} spread over months.
   *
   * @param rows rows stored before the measurement
   * @param partitions each partition of the table and its rows (ANALYZE's estimate) then
   * @param collector the collector's 100-record envelopes, dated in the first month filled
   */
  record Scale(long rows, List<PartitionRows> partitions, LoadResult collector) {

    Scale {
      partitions = List.copyOf(partitions);
    }

    double recordsPerSecond() {
      return collector.acceptedPerSecond() * Plan.REFERENCE_SIZE;
    }

    /** The monthly partitions that held rows. */
    List<PartitionRows> filledMonths() {
      return partitions.stream().filter(p -> p.rows() > 0 && !p.outsideTheMonths()).toList();
    }

    /** Rows in the partitions below and above the months: none, when filled as planned. */
    long rowsOutsideTheMonths() {
      return partitions.stream()
          .filter(PartitionRows::outsideTheMonths)
          .mapToLong(PartitionRows::rows)
          .sum();
    }
  }

  /** A partition of the telemetry table, and its rows as ANALYZE estimated them. */
  record PartitionRows(String partition, long rows) {

    /** Whether this is the partition below or above the monthly ones. */
    boolean outsideTheMonths() {
      return partition.equals("telemetry_before") || partition.equals("telemetry_after");
    }
  }

  /**
   * The collector at 70% of its maximum (open loop, 100-record envelopes dated in another month)
   * over a window before a month of {@code rows} is dropped, and over a window holding the drop.
   *
   * @param rows rows of the month dropped, alone in its partition
   * @param partition the partition dropped
   * @param rate requests per second offered in both windows
   * @param before the window before the drop
   * @param during the window from the start of the purge command until after its end
   * @param purge what the purge command removed, and its time
   * @param lock how long the table's exclusive lock was held or waited for, over both windows
   */
  record Retention(
      long rows,
      String partition,
      double rate,
      LoadResult before,
      LoadResult during,
      Purge purge,
      TableLock lock) {}

  /**
   * The collector's {@code purge --older-than} command.
   *
   * @param olderThan the date it was given
   * @param seconds from its start to its exit: the JVM's start, the drop, counting what it dropped
   * @param dropped the partitions it said it dropped
   * @param rowsRemoved the records it said it removed
   * @param failure why it failed, as the command said (its last line), or "" if it did not
   */
  record Purge(
      LocalDate olderThan,
      double seconds,
      List<DroppedPartition> dropped,
      long rowsRemoved,
      String failure) {

    Purge {
      dropped = List.copyOf(dropped);
    }

    /** A command that ended with {@code failure}, having removed nothing. */
    static Purge failed(LocalDate olderThan, double seconds, String failure) {
      return new Purge(olderThan, seconds, List.of(), 0, failure);
    }
  }

  /** A partition the purge command dropped, with its rows. */
  record DroppedPartition(String partition, long rows) {}

  /**
   * How long the telemetry table's ACCESS EXCLUSIVE lock was held or waited for, sampled.
   *
   * @param episodesMillis each time it was seen, from its transaction's start to the first sample
   *     without it: too long by at most {@code samplingMillis}
   * @param samplingMillis the longest gap between two samples
   * @param stillLocked whether it was still held at the last sample
   */
  record TableLock(List<Double> episodesMillis, double samplingMillis, boolean stillLocked) {

    TableLock {
      episodesMillis = List.copyOf(episodesMillis);
    }

    /** The time it was seen held or waited for, summed. */
    double heldMillis() {
      return episodesMillis.stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * The most it can have been held or waited for: what was seen, or, when the sampling never saw
     * it, the longest gap between samples.
     */
    double atMostMillis() {
      return episodesMillis.isEmpty() ? samplingMillis : heldMillis();
    }
  }

  /**
   * The collector's memory over the on-disk run.
   *
   * @param peakHeapMib the most heap in use seen, young and old generations
   * @param peakRssMib the peak resident set size, NaN where unknown
   * @param outOfMemory whether it died or logged an OutOfMemoryError
   */
  record Footprint(double peakHeapMib, double peakRssMib, boolean outOfMemory) {}

  /** K-H for bodies of {@code size} records: requests per second, median over the rounds. */
  double noOpRequestsPerSecond(int size) {
    return median(round -> noOp(round, size).acceptedPerSecond());
  }

  /** How the processors were used while K-H took {@code size}-record bodies, medians. */
  CpuUse noOpCpu(int size) {
    return medianCpu(round -> noOp(round, size).cpu());
  }

  private static LoadResult noOp(Round round, int size) {
    return round.noOp().getOrDefault(size, LoadResult.NONE);
  }

  /** K-COPY, median over the rounds. */
  double copyRecordsPerSecond() {
    return median(Round::copyRecordsPerSecond);
  }

  /** The collector saturated with {@code size}-record envelopes. */
  EndToEnd endToEnd(int size) {
    List<Latency> latencies = new ArrayList<>();
    Tally tally = Tally.NONE;
    for (Round round : rounds) {
      LoadResult result = round.collector().get(size);
      if (result == null) {
        throw new IllegalArgumentException("no measurement of " + size + "-record envelopes");
      }
      latencies.add(result.accepted());
      tally = tally.plus(result.tally());
    }
    return new EndToEnd(
        size,
        Plan.clients(size),
        median(round -> round.collector().get(size).acceptedPerSecond()),
        Latency.merged(latencies),
        tally,
        medianCpu(round -> round.collector().get(size).cpu()));
  }

  /** The collector's maximum: 100-record envelopes per second, saturated. */
  double maximumRequestsPerSecond() {
    return endToEnd(Plan.REFERENCE_SIZE).requestsPerSecond();
  }

  /** The latency comparison with PostgreSQL's data {@code store}d so, if it ran. */
  Optional<LatencyComparison> latency(Store store) {
    return latency.stream().filter(comparison -> comparison.store() == store).findFirst();
  }

  /** The run's one-line title. */
  String title() {
    return String.format(
        Locale.ROOT,
        "Telemetry Collector benchmark (%s): %d cores, %s, collector under %s",
        plan.mode().label(),
        environment.cores(),
        environment.postgres(),
        plan.collectorHeap().jvmOption());
  }

  private double median(ToDoubleFunction<Round> measure) {
    return median(rounds.stream().mapToDouble(measure).toArray());
  }

  private CpuUse medianCpu(Function<Round, CpuUse> use) {
    return new CpuUse(
        median(round -> use.apply(round).busy()), median(round -> use.apply(round).server()));
  }

  /** The median of {@code values}: the middle one, or the mean of the middle two. */
  static double median(double... values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
