package com.suse.telemetry.bench;

import com.suse.telemetry.bench.Measurements.LatencyComparison;
import com.suse.telemetry.bench.Measurements.Round;
import com.suse.telemetry.bench.Measurements.Store;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One run of the benchmark: starts the servers, follows the plan's steps, and returns what they
 * measured. Progress goes to standard output as it happens.
 *
 * <p>The envelopes measured are dated in the current month, as a fleet's are, so that their records
 * land in that month's partition; the retention measurement's go into the next month, while the
 * current one is dropped.
 */
final class BenchmarkRun {

  private static final String PATH = "/api/v1/telemetry";
  private static final String RECORDING = "benchmark";

  private final Plan plan;
  private final Path collectorJar;
  private final Path benchJar;
  private final Path out;
  private final boolean profile;
  private final YearMonth month = YearMonth.now(ZoneOffset.UTC);
  private long serialBase = 1L << 40;

  // Filled step by step.
  private BenchmarkDatabase disk;
  private ServerProcess noOp;
  private ServerProcess collector;
  private double validation;
  private final List<Round> rounds = new ArrayList<>();
  private final List<LatencyComparison> latency = new ArrayList<>();
  private Measurements.Overload overload;
  private Measurements.Overload fixedAdmission;
  private Measurements.Scale scale;
  private Measurements.Retention retention;
  private Measurements.Footprint footprint;

  private BenchmarkRun(Plan plan, Path collectorJar, Path benchJar, Path out, boolean profile) {
    this.plan = plan;
    this.collectorJar = collectorJar;
    this.benchJar = benchJar;
    this.out = out;
    this.profile = profile;
  }

  /**
   * Runs {@code plan} against the collector in {@code collectorJar}; {@code benchJar} holds the
   * no-op server; logs go to {@code out}, and with {@code profile} a flight recording of each
   * collector.
   */
  static Measurements run(Plan plan, Path collectorJar, Path benchJar, Path out, boolean profile)
      throws Exception {
    return new BenchmarkRun(plan, collectorJar, benchJar, out, profile).run();
  }

  private Measurements run() throws Exception {
    disk = BenchmarkDatabase.of(TestPostgres.newDatabase());
    Measurements.Environment environment =
        new Measurements.Environment(Runtime.getRuntime().availableProcessors(), disk.describe());
    System.out.printf(
        Locale.ROOT,
        "Telemetry Collector benchmark (%s): %d cores, %s, collector under %s%n",
        plan.mode().label(),
        environment.cores(),
        environment.postgres(),
        plan.collectorHeap().jvmOption());
    try {
      for (Plan.Step step : plan.steps()) {
        switch (step) {
          case VALIDATION_CEILING -> validation();
          case WARM_UP -> warmUp();
          case ROUNDS -> rounds();
          case LATENCY_ON_DISK ->
              latency.add(compare(Store.DISK, disk, environment.postgres(), collector));
          case OVERLOAD -> overload();
          case FIXED_ADMISSION -> fixedAdmission();
          case SCALE -> scale();
          case RETENTION -> retention();
          case LATENCY_IN_MEMORY -> inMemory();
        }
      }
      stopOnDisk();
    } finally {
      closeQuietly();
    }
    return new Measurements(
        environment,
        plan,
        validation,
        rounds,
        latency,
        overload,
        fixedAdmission,
        scale,
        retention,
        footprint);
  }

  private void validation() {
    // The JIT needs seconds to compile validation; a smoke run only checks that it works.
    double warmup = Math.max(plan.mode().warmup, Math.min(5, plan.mode().serverWarmup));
    validation = ValidationCeiling.measure(warmup, plan.mode().seconds);
    System.out.printf(Locale.ROOT, "K-V: %.0f records/s%n", validation);
  }

  private void warmUp() throws Exception {
    int noOpPort = TestServices.freePort();
    noOp =
        ServerProcess.start(
            "no-op server",
            noOpPort,
            out.resolve("noop.log"),
            List.of(
                "-Xmx512m",
                "-cp",
                benchJar.toString(),
                NoopServer.class.getName(),
                Integer.toString(noOpPort)));
    collector = startCollector(disk, "collector", List.of());
    System.out.printf(
        Locale.ROOT, "Warming up both servers, %.0f s each%n", plan.mode().serverWarmup);
    warmUp(noOp.port(), 1, Plan.REFERENCE_SIZE);
    warmUp(collector.port(), 1, Plan.REFERENCE_SIZE);
  }

  /**
   * Starts a collector on {@code database}, with {@code settings} on its command line, its output
   * in {@code name}.log.
   */
  private ServerProcess startCollector(
      BenchmarkDatabase database, String name, List<String> settings)
      throws IOException, InterruptedException {
    int port = TestServices.freePort();
    TestPostgres.Database db = database.database();
    List<String> arguments = new ArrayList<>();
    arguments.add(plan.collectorHeap().jvmOption());
    if (profile) {
      arguments.add("-XX:StartFlightRecording=name=" + RECORDING + ",settings=profile");
    }
    arguments.addAll(
        List.of(
            "-jar",
            collectorJar.toString(),
            "serve",
            "--http-port",
            Integer.toString(port),
            "--db-url",
            db.url(),
            "--db-user",
            db.user(),
            "--db-password",
            db.password() == null ? "" : db.password(),
            // One load generator on one address stands for the whole fleet.
            "--client-rate",
            "0",
            "--management-port",
            "0",
            // The scale measurement's months exist before it fills them.
            "--partitions-ahead",
            Integer.toString(Plan.SCALE_MONTHS)));
    arguments.addAll(settings);
    return ServerProcess.start("collector", port, out.resolve(name + ".log"), arguments);
  }

  /**
   * Runs a server hot before measuring it: the JIT compiles the request path only after many
   * thousands of requests, and a cold server would measure its compiler, not itself. The warm-up
   * time is shared out between {@code sizes}.
   */
  private void warmUp(int port, int... sizes) throws InterruptedException {
    for (int size : sizes) {
      Envelopes envelopes = new Envelopes(size, 3, serials(), month);
      Load.closedLoop(
          () -> new HttpConnection("127.0.0.1", port),
          () -> HttpConnection.post(PATH, envelopes.next()),
          Plan.clients(size),
          0,
          plan.mode().serverWarmup / sizes.length,
          CpuTicks.machine());
    }
  }

  private void rounds() throws Exception {
    disk.truncate();
    for (int round = 1; round <= plan.rounds(); round++) {
      System.out.printf("Round %d of %d%n", round, plan.rounds());
      Map<Integer, LoadResult> noOpResults = new HashMap<>();
      Map<Integer, LoadResult> collectorResults = new HashMap<>();
      double copy = Double.NaN;
      for (Plan.Probe probe : plan.round()) {
        switch (probe.kind()) {
          case NO_OP_HTTP -> noOpResults.put(probe.size(), closedLoop("K-H", noOp, probe.size()));
          case COLLECTOR -> {
            disk.truncate();
            collectorResults.put(probe.size(), closedLoop("E2E", collector, probe.size()));
          }
          case COPY -> {
            copy =
                CopyCeiling.measure(
                    disk,
                    new Envelopes(Plan.REFERENCE_SIZE, 1234, serials(), month),
                    plan.mode().copyRows);
            System.out.printf(Locale.ROOT, "  K-COPY: %.0f records/s%n", copy);
          }
        }
      }
      rounds.add(new Round(noOpResults, collectorResults, copy));
    }
    if (maximum() == 0) {
      System.out.println(
          "warning: no 100-record envelope was accepted: the open-loop rates, 70% and twice the"
              + " maximum, are zero");
    }
  }

  /** Saturates {@code server} with {@code size}-record envelopes, all new records. */
  private LoadResult closedLoop(String what, ServerProcess server, int size)
      throws InterruptedException {
    Envelopes envelopes = new Envelopes(size, 100 + size, serials(), month);
    LoadResult result =
        Load.closedLoop(
            () -> new HttpConnection("127.0.0.1", server.port()),
            () -> HttpConnection.post(PATH, envelopes.next()),
            Plan.clients(size),
            plan.mode().warmup,
            plan.mode().seconds,
            CpuTicks.machineAnd(server));
    System.out.printf(
        Locale.ROOT,
        "  %s, %d-record envelopes: %.0f requests/s%n",
        what,
        size,
        result.acceptedPerSecond());
    return result;
  }

  /** The open-loop rate of the latency comparison: 70% of the collector's 100-record maximum. */
  private double latencyRate() {
    return Plan.LATENCY_LOAD * maximum();
  }

  /** The collector's 100-record maximum: the median over the rounds, as the report gives it. */
  private double maximum() {
    return Measurements.median(
        rounds.stream()
            .mapToDouble(round -> round.collector().get(Plan.REFERENCE_SIZE).acceptedPerSecond())
            .toArray());
  }

  /**
   * K-COMMIT, then the collector, at the same rate on {@code database}: back to back, each on an
   * empty table.
   */
  private LatencyComparison compare(
      Store store, BenchmarkDatabase database, String postgres, ServerProcess collector)
      throws Exception {
    double rate = latencyRate();
    database.truncate();
    LoadResult commit =
        CommitCeiling.measure(
            database,
            new Envelopes(Plan.REFERENCE_SIZE, 4242, serials(), month),
            rate,
            plan.commitConnections(),
            plan.openLoopSeconds());
    print("K-COMMIT " + store.label, rate, commit);
    database.truncate();
    LoadResult collectorResult = openLoop(collector, rate, Plan.LATENCY_WORKERS);
    print("collector " + store.label, rate, collectorResult);
    return new LatencyComparison(store, postgres, rate, collectorResult, commit);
  }

  /** 100-record envelopes at a fixed rate, latency measured from when each request was due. */
  private LoadResult openLoop(ServerProcess server, double rate, int workers)
      throws InterruptedException {
    return openLoop(
        server,
        new Envelopes(Plan.REFERENCE_SIZE, 9001, serials(), month),
        rate,
        workers,
        CompletableFuture.completedFuture(null));
  }

  /**
   * As {@link #openLoop(ServerProcess, double, int)}, with {@code envelopes}, and until {@code
   * until}.
   */
  private LoadResult openLoop(
      ServerProcess server,
      Envelopes envelopes,
      double rate,
      int workers,
      CompletableFuture<?> until)
      throws InterruptedException {
    return Load.openLoop(
        () -> new HttpConnection("127.0.0.1", server.port()),
        () -> HttpConnection.post(PATH, envelopes.next()),
        rate,
        workers,
        plan.openLoopSeconds(),
        CpuTicks.machineAnd(server),
        until);
  }

  private static void print(String what, double rate, LoadResult result) {
    System.out.printf(
        Locale.ROOT,
        "%s (%.0f requests/s): %.0f accepted/s, p50 %.1f ms, p99 %.1f ms, %d not accepted%n",
        what,
        rate,
        result.acceptedPerSecond(),
        result.all().millisAt(50),
        result.all().millisAt(99),
        result.tally().total() - result.tally().accepted());
  }

  private void overload() throws Exception {
    double rate = Plan.OVERLOAD * maximum();
    disk.truncate();
    LoadResult result = openLoop(collector, rate, Plan.OVERLOAD_WORKERS);
    print("2x overload", rate, result);
    overload = new Measurements.Overload(rate, result);
  }

  /**
   * The overload again, on a collector of its own whose admission is fixed (as many in flight as
   * allowed, always) instead of adaptive; warmed up as the other was before it is measured.
   */
  private void fixedAdmission() throws Exception {
    double rate = Plan.OVERLOAD * maximum();
    try (ServerProcess fixed =
        startCollector(disk, "collector-fixed", List.of("--admission", "fixed"))) {
      System.out.printf(
          Locale.ROOT,
          "Warming up a collector whose admission is fixed, %.0f s%n",
          plan.mode().serverWarmup);
      warmUp(fixed.port(), Plan.REFERENCE_SIZE);
      disk.truncate();
      LoadResult result = openLoop(fixed, rate, Plan.OVERLOAD_WORKERS);
      print("2x overload, admission fixed", rate, result);
      fixedAdmission = new Measurements.Overload(rate, result);
      saveProfile(fixed, "collector-fixed");
    }
  }

  /**
   * The rows spread over a year of months, each a partition, the collector's envelopes dated in the
   * first of them: E2E as in the rounds, with the table a year old.
   */
  private void scale() throws Exception {
    List<YearMonth> months = new ArrayList<>();
    for (int i = 0; i < Plan.SCALE_MONTHS; i++) {
      months.add(month.plusMonths(i));
    }
    disk.truncate();
    System.out.printf(
        Locale.ROOT, "Storing %d rows over %d months by COPY%n", plan.scaleRows(), months.size());
    long start = System.nanoTime();
    TableFill.fill(disk, months, plan.scaleRows(), 7_000_000, serials());
    settle();
    System.out.printf(
        Locale.ROOT,
        "Filled the table with %d rows over %d months, %s to %s, in %.0f s%n",
        plan.scaleRows(),
        months.size(),
        months.get(0),
        months.get(months.size() - 1),
        (System.nanoTime() - start) / 1e9);
    List<Measurements.PartitionRows> partitions = disk.partitionRows();
    LoadResult result = closedLoop("E2E", collector, Plan.REFERENCE_SIZE);
    scale = new Measurements.Scale(plan.scaleRows(), partitions, result);
  }

  /**
   * After a fill: vacuums and analyzes the table, as autovacuum would in time, and checkpoints it,
   * so that the measurement after it does not pay for the bulk load.
   */
  private void settle() throws SQLException {
    disk.vacuumAnalyze();
    if (!disk.checkpoint()) {
      System.out.println(
          "warning: the benchmark's role may not CHECKPOINT (GRANT pg_checkpoint TO it): what"
              + " follows pays for writing out the rows just copied in");
    }
  }

  /**
   * A month of rows alone in its partition, dropped by the collector's purge command while the
   * collector takes 70% of its maximum in envelopes dated in the next month: latency over a window
   * before the drop, and over one from the command's start until it has ended; the table's
   * exclusive lock watched over both.
   */
  private void retention() throws Exception {
    YearMonth kept = month.plusMonths(1);
    disk.truncate();
    System.out.printf(
        Locale.ROOT,
        "Storing %d rows in %s by COPY%n",
        plan.retentionRows(),
        TableFill.partition(month));
    long start = System.nanoTime();
    TableFill.fill(disk, List.of(month), plan.retentionRows(), 8_000_000, serials());
    settle();
    System.out.printf(
        Locale.ROOT,
        "Filled %s with %d rows in %.0f s%n",
        TableFill.partition(month),
        plan.retentionRows(),
        (System.nanoTime() - start) / 1e9);
    double rate = latencyRate();
    Envelopes envelopes = new Envelopes(Plan.REFERENCE_SIZE, 9002, serials(), kept);
    LoadResult before;
    LoadResult during;
    CompletableFuture<Measurements.Purge> purge;
    Measurements.TableLock lock;
    try (TableLockWatch watch = TableLockWatch.start(disk)) {
      before =
          openLoop(
              collector,
              envelopes,
              rate,
              Plan.LATENCY_WORKERS,
              CompletableFuture.completedFuture(null));
      purge =
          PurgeCommand.start(
              collectorJar,
              plan.collectorHeap(),
              disk.database(),
              kept.atDay(1),
              out.resolve("purge.log"));
      during = openLoop(collector, envelopes, rate, Plan.LATENCY_WORKERS, purge);
      lock = watch.stop();
    }
    Measurements.Purge purged;
    try {
      purged = purge.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("the purge command failed", e.getCause());
    }
    print("collector before the drop", rate, before);
    print("collector during the drop", rate, during);
    System.out.printf(
        Locale.ROOT,
        "purge --older-than %s: %d rows removed in %.1f s; the table's exclusive lock held or"
            + " waited for %.0f ms (sampled every %.0f ms at most)%n",
        purged.olderThan(),
        purged.rowsRemoved(),
        purged.seconds(),
        lock.heldMillis(),
        lock.samplingMillis());
    retention =
        new Measurements.Retention(
            plan.retentionRows(), TableFill.partition(month), rate, before, during, purged, lock);
  }

  /**
   * Takes the collector's memory figures and stops the on-disk servers, so that nothing of theirs
   * competes with what follows.
   */
  private void stopOnDisk() throws IOException, InterruptedException {
    if (collector == null) {
      return;
    }
    boolean outOfMemory = !collector.alive() || collector.log().contains("OutOfMemoryError");
    footprint =
        new Measurements.Footprint(collector.peakHeapMib(), collector.peakRssMib(), outOfMemory);
    saveProfile(collector, "collector");
    closeQuietly();
  }

  /** The latency comparison again, on a PostgreSQL whose data is in memory. */
  private void inMemory() throws Exception {
    stopOnDisk();
    System.out.println("Starting a PostgreSQL with its data in " + plan.memoryDirectory());
    try (MemoryPostgres memory = MemoryPostgres.start(plan.memoryDirectory());
        ServerProcess memoryCollector =
            startCollector(memory.database(), "collector-memory", List.of())) {
      System.out.println(memory.description());
      System.out.printf(
          Locale.ROOT, "Warming up the collector on it, %.0f s%n", plan.mode().serverWarmup);
      // Only with what it is measured with: it has not had the rounds the other had.
      warmUp(memoryCollector.port(), Plan.REFERENCE_SIZE);
      latency.add(compare(Store.MEMORY, memory.database(), memory.description(), memoryCollector));
      saveProfile(memoryCollector, "collector-memory");
    }
  }

  /**
   * With {@code --profile}, writes the flight recording of {@code collector} to {@code name}.jfr,
   * and where its time went to {@code name}-profile.txt and standard output.
   */
  private void saveProfile(ServerProcess collector, String name)
      throws IOException, InterruptedException {
    if (profile) {
      Path file = out.resolve(name + ".jfr");
      collector.dumpFlightRecording(RECORDING, file);
      List<String> summary = new ArrayList<>();
      summary.add("Flight recording of the " + name + ": " + file);
      summary.addAll(FlightSummary.of(file).lines(ProfileCommand.METHODS));
      Files.write(out.resolve(name + "-profile.txt"), summary);
      summary.forEach(System.out::println);
    }
  }

  private void closeQuietly() {
    if (collector != null) {
      collector.close();
      collector = null;
    }
    if (noOp != null) {
      noOp.close();
      noOp = null;
    }
  }

  /** A fresh range of serial numbers, so that no two envelopes carry the same records. */
  private long serials() {
    serialBase += 1L << 36;
    return serialBase;
  }
}
