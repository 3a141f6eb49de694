package com.suse.telemetry.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run measures, how long and in which order: the mode's durations and sizes, with what the
 * command line chose on top of them.
 *
 * @param mode the mode the durations and sizes come from
 * @param rounds rounds of ceilings and collector in alternation; the report gives medians
 * @param openLoopSeconds seconds of each open-loop window (latency, K-COMMIT, overload)
 * @param scaleRows rows already stored, over {@link #SCALE_MONTHS} months, when the scale
 *     measurement runs
 * @param retentionRows rows of the month the retention measurement drops
 * @param commitConnections connections K-COMMIT commits on
 * @param collectorHeap the collector's {@code -Xmx}
 * @param memoryRun whether the latency comparison runs again with PostgreSQL in memory
 * @param memoryDirectory where the memory-backed PostgreSQL keeps its data: a tmpfs, such as {@code
 *     /dev/shm}
 */
record Plan(
    Mode mode,
    int rounds,
    double openLoopSeconds,
    long scaleRows,
    long retentionRows,
    int commitConnections,
    Heap collectorHeap,
    boolean memoryRun,
    Path memoryDirectory) {

  /** The load of the latency comparison, as a fraction of the 100-record maximum. */
  static final double LATENCY_LOAD = 0.7;

  /** The load of the overload measurement, as a multiple of the 100-record maximum. */
  static final double OVERLOAD = 2;

  /** The envelope size whose maximum the open-loop rates derive from. */
  static final int REFERENCE_SIZE = 100;

  /** Open-loop HTTP connections at 70% load, and under overload (more, to keep offering it). */
  static final int LATENCY_WORKERS = 64;

  static final int OVERLOAD_WORKERS = 512;

  /**
   * Months the scale measurement's rows are spread over, a partition each, as a year of a fleet's
   * telemetry is: the collector's envelopes go into the first of them, which holds its share.
   */
  static final int SCALE_MONTHS = 12;

  static final Heap DEFAULT_HEAP = Heap.parse("256m");
  static final Path DEFAULT_MEMORY_DIRECTORY = Path.of("/dev/shm");

  Plan {
    requireNonNull(mode, "mode");
    requireNonNull(collectorHeap, "collectorHeap");
    requireNonNull(memoryDirectory, "memoryDirectory");
    if (rounds < 1
        || openLoopSeconds <= 0
        || scaleRows < 0
        || retentionRows < 0
        || commitConnections < 1) {
      throw new IllegalArgumentException(
          "rounds and K-COMMIT connections must be at least 1, the open-loop window positive and"
              + " the scale and retention rows not negative");
    }
  }

  /** The mode's plan, with the default heap, K-COMMIT connections and memory-backed run. */
  static Plan of(Mode mode) {
    return new Plan(
        mode,
        mode.rounds,
        mode.openLoopSeconds,
        mode.scaleRows,
        mode.retentionRows,
        8,
        DEFAULT_HEAP,
        true,
        DEFAULT_MEMORY_DIRECTORY);
  }

  /** The parts of a run, in the order they run. */
  enum Step {
    /** K-V, before any server runs, so that nothing else competes for the CPU. */
    VALIDATION_CEILING,
    /** The no-op server and the collector start, driven until their JIT compiled the hot path. */
    WARM_UP,
    /** Ceilings and collector in alternation, round after round: see {@link #round()}. */
    ROUNDS,
    /** The collector and K-COMMIT at 70% of the maximum, back to back, on the shared server. */
    LATENCY_ON_DISK,
    /** The collector at twice its maximum. */
    OVERLOAD,
    /**
     * Another collector, its admission fixed instead of adaptive, at the same rate: a process of
     * its own, warmed up as the first was, then stopped.
     */
    FIXED_ADMISSION,
    /**
     * The collector once the table holds {@link #scaleRows()} rows over {@link #SCALE_MONTHS}
     * monthly partitions.
     */
    SCALE,
    /**
     * The collector at 70% of its maximum while its purge command drops a month of {@link
     * #retentionRows()} rows.
     */
    RETENTION,
    /** The collector and K-COMMIT at the same rate as on disk, on a PostgreSQL in memory. */
    LATENCY_IN_MEMORY
  }

  /** What the run does, in order. */
  List<Step> steps() {
    List<Step> steps = new ArrayList<>(List.of(Step.values()));
    if (!memoryRun) {
      steps.remove(Step.LATENCY_IN_MEMORY);
    }
    return steps;
  }

  /** One measurement of a round: a server or ceiling, and the envelope size it is driven with. */
  record Probe(Kind kind, int size) {

    enum Kind {
      /** K-H: the no-op HTTP server. */
      NO_OP_HTTP,
      /** E2E: the collector over HTTP. */
      COLLECTOR,
      /** K-COPY: COPY into the table; its size is not an envelope's. */
      COPY
    }
  }

  /**
   * One round, in order: K-H and the collector for 1-record envelopes, K-H for 100-record bodies,
   * the collector for the other sizes, K-COPY; so that a disturbance of the shared machine hits
   * ceilings and collector alike.
   */
  List<Probe> round() {
    List<Probe> probes = new ArrayList<>();
    probes.add(new Probe(Probe.Kind.NO_OP_HTTP, 1));
    probes.add(new Probe(Probe.Kind.COLLECTOR, 1));
    probes.add(new Probe(Probe.Kind.NO_OP_HTTP, REFERENCE_SIZE));
    for (int size : mode.sizes) {
      if (size != 1) {
        probes.add(new Probe(Probe.Kind.COLLECTOR, size));
      }
    }
    probes.add(new Probe(Probe.Kind.COPY, 0));
    return probes;
  }

  /**
   * Closed-loop clients for {@code size}-record envelopes: enough to saturate, not to thrash, and
   * never more than the collector's adaptive admission always takes in (half its default 64 in
   * flight): clients beyond it would be turned away with 503 and wait the second Retry-After asks,
   * so the rounds would measure idle clients rather than the collector.
   */
  static int clients(int size) {
    return size <= 100 ? 32 : 8;
  }
}
