package com.suse.telemetry.bench;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.testkit.TelemetryCopy;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures the collector end to end over HTTP beside the ceilings it cannot beat, in one run on one
 * machine, and prints one table (also written as JSON):
 *
 * <ul>
 *   <li>K-H: a no-op Javalin endpoint that reads and discards the body (HTTP ceiling);
 *   <li>K-COPY: pgjdbc COPYs of the same records into the same table, on two connections as the
 *       collector commits on two (storage ceiling);
 *   <li>K-V: in-process parse, validate and split, one thread;
 *   <li>E2E: the collector, a process of its own under {@code -Xmx512m}, for envelopes of 1, 10,
 *       100 and 1000 records, saturated by closed-loop clients on kept-alive connections;
 *   <li>latency at 70% of the maximum, open loop, corrected for coordinated omission;
 *   <li>E2E again once the table holds millions of rows;
 *   <li>2x overload: what the collector still takes, what it sheds, and its memory.
 * </ul>
 *
 * <p>These machines are shared and noisy, and a JVM reaches its speed only after its JIT has
 * compiled the request path: both servers are warmed up first, then the ceilings and the collector
 * are measured in alternation, round after round, and the table gives medians.
 *
 * <p>Run: {@code mvn -q -B package -DskipTests && java -jar
 * telemetry-bench/target/telemetry-bench.jar} ({@code --quick}: under two minutes). PostgreSQL
 * comes from {@code TELEMETRY_TEST_DB_URL} (see {@code .ci/run}), else an embedded one.
 */
public final class Benchmark {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PATH = "/api/v1/telemetry";
  private static final int COPY_CHUNK = 50_000;
  private static final TelemetryValidator VALIDATOR =
      TelemetryValidator.create(TelemetryTypeRegistry.bundled());

  /** How long and how big. */
  record Mode(
      String name,
      double serverWarmup,
      double warmup,
      double seconds,
      double openLoopSeconds,
      int rounds,
      int[] sizes,
      long copyRows,
      long scaleRows) {
    static Mode of(String name) {
      return switch (name) {
        case "full" ->
            new Mode(name, 60, 5, 15, 60, 3, new int[] {1, 10, 100, 1000}, 300_000, 5_000_000);
        case "quick" ->
            new Mode(name, 12, 2, 4, 4, 1, new int[] {1, 10, 100, 1000}, 100_000, 300_000);
        case "smoke" -> new Mode(name, 1, 0.5, 1, 1, 1, new int[] {1, 100}, 10_000, 20_000);
        default -> throw new IllegalArgumentException("unknown mode " + name);
      };
    }
  }

  private final Mode mode;
  private final Path collectorJar;
  private final Path benchJar;
  private final Path out;
  private final Map<String, List<Double>> rounds = new LinkedHashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();
  private final List<String> table = new ArrayList<>();
  private TestPostgres.Database database;
  private int noopPort;

  private Benchmark(Mode mode, Path collectorJar, Path benchJar, Path out) {
    this.mode = mode;
    this.collectorJar = collectorJar;
    this.benchJar = benchJar;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    String mode = "full";
    Path collectorJar = Path.of("telemetry-app", "target", "telemetry-collector.jar");
    Path out = Path.of("telemetry-bench", "target");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> mode = "quick";
        case "--smoke" -> mode = "smoke";
        case "--collector-jar" -> collectorJar = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println(
              "usage: telemetry-bench [--quick|--smoke] [--collector-jar JAR]" + " [--out DIR]");
          System.exit(2);
        }
      }
    }
    if (!Files.isRegularFile(collectorJar)) {
      System.err.println(
          collectorJar
              + " not found: build it first (mvn -q -B package"
              + " -DskipTests), or name it with --collector-jar");
      System.exit(2);
    }
    Path benchJar =
        Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Files.createDirectories(out);
    new Benchmark(Mode.of(mode), collectorJar, benchJar, out).run();
    System.exit(0);
  }

  private void run() throws Exception {
    database = TestPostgres.newDatabase();
    int cores = Runtime.getRuntime().availableProcessors();
    String title =
        "Telemetry Collector benchmark ("
            + mode.name()
            + "): "
            + cores
            + " cores, "
            + postgresDescription()
            + ", collector under -Xmx512m";
    System.out.println(title);
    figures.put("title", title);

    double kv = validationCeiling();
    noopPort = TestServices.freePort();
    int collectorPort = TestServices.freePort();
    try (ServerProcess noop =
            ServerProcess.start(
                "no-op server",
                noopPort,
                out.resolve("noop.log"),
                List.of(
                    "-Xmx512m",
                    "-cp",
                    benchJar.toString(),
                    NoopServer.class.getName(),
                    Integer.toString(noopPort)));
        ServerProcess collector =
            ServerProcess.start(
                "collector",
                collectorPort,
                out.resolve("collector.log"),
                List.of(
                    "-Xmx512m",
                    "-jar",
                    collectorJar.toString(),
                    "serve",
                    "--http-port",
                    Integer.toString(collectorPort),
                    "--db-url",
                    database.url(),
                    "--db-user",
                    database.user(),
                    "--db-password",
                    database.password() == null ? "" : database.password(),
                    // One load generator on one address stands for the whole fleet.
                    "--client-rate",
                    "0"))) {
      System.out.printf("Warming up both servers, %.0f s each%n", mode.serverWarmup());
      warmUp(noop.port());
      warmUp(collectorPort);
      truncate();
      for (int round = 1; round <= mode.rounds(); round++) {
        System.out.printf("Round %d of %d%n", round, mode.rounds());
        measureRound(noopPort, collectorPort);
      }
      double max100 = median("e2e_requests_100");
      Load.Result latency = openLoop(collectorPort, 0.7 * max100, 64, "latency at 70%");
      truncate();
      Load.Result overload = openLoop(collectorPort, 2 * max100, 512, "2x overload");
      double scaled = atScale(collectorPort);
      boolean survived = collector.alive() && !collector.log().contains("OutOfMemoryError");
      report(
          kv, latency, overload, scaled, collector.peakHeapMib(), collector.peakRssMib(), survived);
    }
  }

  private void measureRound(int noopPort, int collectorPort) throws Exception {
    record("kh_requests_1", closedLoop(noopPort, 1).acceptedPerSecond());
    measureEndToEnd(collectorPort, 1);
    record("kh_requests_100", closedLoop(noopPort, 100).acceptedPerSecond());
    for (int size : mode.sizes()) {
      if (size != 1) {
        measureEndToEnd(collectorPort, size);
      }
    }
    record("kcopy_records", copyCeiling());
  }

  private void measureEndToEnd(int port, int size) throws Exception {
    truncate();
    Load.Result result = closedLoop(port, size);
    long notAccepted = result.refused() + result.refusedWithoutRetryAfter() + result.other();
    if (result.accepted() == 0 || notAccepted > 0) {
      System.out.printf(
          "  warning: %d-record envelopes had %d answers other than 202%n", size, notAccepted);
    }
    record("e2e_requests_" + size, result.acceptedPerSecond());
    record("e2e_p50_" + size, result.latencyMillis(0.5));
    record("e2e_p99_" + size, result.latencyMillis(0.99));
  }

  // --- measurements --------------------------------------------------------------------------

  private static int clients(int size) {
    return size <= 10 ? 64 : size <= 100 ? 32 : 8;
  }

  /** Saturates the server at {@code port} with {@code size}-record envelopes, all new records. */
  private Load.Result closedLoop(int port, int size) throws InterruptedException {
    Envelopes envelopes = new Envelopes(size, 100 + size, serials());
    Load.Result result =
        Load.closedLoop(
            port,
            () -> HttpConnection.post(PATH, envelopes.next()),
            clients(size),
            mode.warmup(),
            mode.seconds());
    System.out.printf(
        Locale.ROOT,
        "  %s, %d-record envelopes: %.0f requests/s%n",
        port == noopPort ? "K-H" : "E2E",
        size,
        result.acceptedPerSecond());
    return result;
  }

  /**
   * Runs a server hot before measuring it: the JIT compiles the request path only after many
   * thousands of requests, and a cold server would measure its compiler, not itself.
   */
  private void warmUp(int port) throws InterruptedException {
    for (int size : new int[] {1, 100}) {
      Envelopes envelopes = new Envelopes(size, 3, serials());
      Load.closedLoop(
          port,
          () -> HttpConnection.post(PATH, envelopes.next()),
          clients(size),
          0,
          mode.serverWarmup() / 2);
    }
  }

  private long serialBase = 1L << 40;

  /** A fresh range of serial numbers, so that no two envelopes carry the same records. */
  private long serials() {
    serialBase += 1L << 36;
    return serialBase;
  }

  /** K-V: records per second through parse, validate and split, on one thread. */
  private double validationCeiling() {
    Envelopes envelopes = new Envelopes(100, 42, 0);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add(envelopes.next());
    }
    long measureFrom = System.nanoTime() + (long) (Math.max(mode.warmup(), 5) * 1e9);
    long end = measureFrom + (long) (mode.seconds() * 1e9);
    long records = 0;
    for (int i = 0; System.nanoTime() < end; i++) {
      ValidationResult result = VALIDATOR.validate(bodies.get(i % bodies.size()));
      if (!result.isValid()) {
        throw new IllegalStateException("generated envelope invalid: " + result.violations());
      }
      if (System.nanoTime() >= measureFrom) {
        records += result.submission().records().size();
      }
    }
    double perSecond = records / mode.seconds();
    System.out.printf(Locale.ROOT, "K-V: %.0f records/s%n", perSecond);
    return perSecond;
  }

  /**
   * K-COPY: records per second of COPYs of the same kind of records into the same table, on two
   * connections as the collector commits on two. The CSV is made before the clock starts: only the
   * COPY is timed.
   */
  private double copyCeiling() throws Exception {
    truncate();
    Envelopes envelopes = new Envelopes(100, 1234, serials());
    List<String> chunks = new ArrayList<>();
    for (long rows = 0; rows < mode.copyRows(); rows += COPY_CHUNK) {
      chunks.add(csv(envelopes, (int) Math.min(COPY_CHUNK, mode.copyRows() - rows)));
    }
    long start = System.nanoTime();
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () -> copyOrFail(chunks.subList(chunks.size() / 2, chunks.size())));
    copy(chunks.subList(0, chunks.size() / 2));
    second.join();
    double perSecond = mode.copyRows() / ((System.nanoTime() - start) / 1e9);
    truncate();
    System.out.printf(Locale.ROOT, "  K-COPY: %.0f records/s%n", perSecond);
    return perSecond;
  }

  /** COPYs {@code rows} new records into the telemetry table, chunk after chunk. */
  private void fill(Envelopes envelopes, long rows) throws Exception {
    for (long done = 0; done < rows; done += COPY_CHUNK) {
      copy(List.of(csv(envelopes, (int) Math.min(COPY_CHUNK, rows - done))));
    }
  }

  private void copyOrFail(List<String> chunks) {
    try {
      copy(chunks);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("COPY failed", e);
    }
  }

  private void copy(List<String> chunks) throws SQLException, IOException {
    try (Connection connection = database.connect()) {
      for (String chunk : chunks) {
        TelemetryCopy.copy(connection, chunk);
      }
    }
  }

  /** About {@code rows} new records as COPY's CSV. */
  private static String csv(Envelopes envelopes, int rows) {
    List<TelemetryRecord> records = new ArrayList<>(rows);
    for (int done = 0; done < rows; done += envelopes.records()) {
      records.addAll(VALIDATOR.validate(envelopes.next()).submission().records());
    }
    return TelemetryCopy.csv(records);
  }

  /** 100-record envelopes at a fixed rate, latency measured from when each request was due. */
  private Load.Result openLoop(int port, double rate, int workers, String what)
      throws InterruptedException {
    Envelopes envelopes = new Envelopes(100, 9001, serials());
    Load.Result result =
        Load.openLoop(
            port,
            () -> HttpConnection.post(PATH, envelopes.next()),
            rate,
            workers,
            mode.openLoopSeconds());
    System.out.printf(
        Locale.ROOT,
        "%s (%.0f requests/s): %.0f accepted/s, p50 %.1f ms, p99 %.1f" + " ms, %d shed%n",
        what,
        rate,
        result.acceptedPerSecond(),
        result.latencyMillis(0.5),
        result.latencyMillis(0.99),
        result.refused() + result.refusedWithoutRetryAfter());
    return result;
  }

  /** E2E for 100-record envelopes once the table holds {@code mode.scaleRows()} rows. */
  private double atScale(int port) throws Exception {
    truncate();
    long start = System.nanoTime();
    fill(new Envelopes(100, 777, serials()), mode.scaleRows());
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM ANALYZE telemetry");
    }
    System.out.printf(
        Locale.ROOT,
        "Filled the table with %d rows in %.0f s%n",
        mode.scaleRows(),
        (System.nanoTime() - start) / 1e9);
    return closedLoop(port, 100).acceptedPerSecond() * 100;
  }

  private void truncate() throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE telemetry, envelope, outbox, outbox_rejected");
    }
  }

  private String postgresDescription() throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      return "PostgreSQL "
          + value(statement, "SHOW server_version").split(" ")[0]
          + " (fsync "
          + value(statement, "SHOW fsync")
          + ", synchronous_commit "
          + value(statement, "SHOW synchronous_commit")
          + ")";
    }
  }

  private static String value(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  // --- the report ----------------------------------------------------------------------------

  private void record(String name, double value) {
    rounds.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
  }

  private double median(String name) {
    List<Double> values = new ArrayList<>(rounds.get(name));
    values.sort(Double::compare);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  private void report(
      double kv,
      Load.Result latency,
      Load.Result overload,
      double scaled,
      double peakHeap,
      double peakRss,
      boolean survived)
      throws Exception {
    double kh1 = median("kh_requests_1");
    double kh100 = median("kh_requests_100");
    double copy = median("kcopy_records");
    double e2e100 = median("e2e_requests_100") * 100;
    table.add((String) figures.get("title"));
    table.add(
        String.format(
            Locale.ROOT,
            "Closed loop and ceilings: medians of %d round(s), each %.0f s measured after %.0f s of"
                + " warm-up; servers warmed %.0f s first. Latency and overload: one open-loop"
                + " window of %.0f s each",
            mode.rounds(),
            mode.seconds(),
            mode.warmup(),
            mode.serverWarmup(),
            mode.openLoopSeconds()));
    section("Ceilings");
    row("K-H    no-op HTTP endpoint, 1-record bodies", kh1, "requests/s");
    row("K-H    no-op HTTP endpoint, 100-record bodies", kh100, "requests/s");
    row("K-COPY pgjdbc COPY into the table, 2 streams", copy, "records/s");
    row("K-V    parse + validate + split, one thread", kv, "records/s");

    section("End to end: the collector over HTTP, closed loop, kept-alive connections");
    table.add(
        String.format(
            Locale.ROOT,
            "  %-9s %7s %11s %11s %8s %8s %8s %8s",
            "envelope",
            "clients",
            "requests/s",
            "records/s",
            "vs COPY",
            "vs K-H",
            "p50 ms",
            "p99 ms"));
    for (int size : mode.sizes()) {
      double requests = median("e2e_requests_" + size);
      // K-H was measured for the 1- and 100-record bodies only.
      double khForSize = size == 1 ? kh1 : size == 100 ? kh100 : Double.NaN;
      table.add(
          String.format(
              Locale.ROOT,
              "  %-9s %7d %11.0f %11.0f %7.2fx %8s %8.1f %8.1f",
              size + " rec",
              clients(size),
              requests,
              requests * size,
              requests * size / copy,
              Double.isNaN(khForSize)
                  ? "-"
                  : String.format(Locale.ROOT, "%.2fx", requests / khForSize),
              median("e2e_p50_" + size),
              median("e2e_p99_" + size)));
    }

    section("Latency at 70% of the 100-record maximum: open loop, coordinated omission corrected");
    table.add(
        String.format(
            Locale.ROOT,
            "  %.0f requests/s: p50 %.1f ms, p99 %.1f ms," + " p99.9 %.1f ms",
            latency.acceptedPerSecond(),
            latency.latencyMillis(0.5),
            latency.latencyMillis(0.99),
            latency.latencyMillis(0.999)));

    section("Scale: 100-record envelopes once the table holds " + mode.scaleRows() + " rows");
    table.add(
        String.format(
            Locale.ROOT,
            "  %.0f records/s, %.2fx the empty table's %.0f",
            scaled,
            scaled / e2e100,
            e2e100));

    double goodput = overload.acceptedPerSecond() * 100;
    section("2x overload: open loop at twice the 100-record maximum");
    table.add(
        String.format(
            Locale.ROOT,
            "  accepted %.0f records/s (%.2fx the maximum); shed %d"
                + " with 503 + Retry-After, %d without; %d other answers",
            goodput,
            goodput / e2e100,
            overload.refused(),
            overload.refusedWithoutRetryAfter(),
            overload.other()));
    section("Memory of the collector over the whole run");
    table.add(
        String.format(
            Locale.ROOT,
            "  peak heap in use %.0f MiB of 512, peak RSS %.0f MiB," + " OutOfMemoryError: %s",
            peakHeap,
            peakRss,
            survived ? "none" : "YES"));

    section("Targets");
    target(
        "E2E records/s, 100-record envelopes >= 0.5 x K-COPY",
        e2e100 / copy >= 0.5,
        "%.2f",
        e2e100 / copy);
    double ratio1 = median("e2e_requests_1") / kh1;
    target("E2E requests/s, 1-record envelopes >= 0.3 x K-H", ratio1 >= 0.3, "%.2f", ratio1);
    target("K-V >= 100,000 records/s on one thread", kv >= 100_000, "%.0f", kv);
    target(
        "p99 at 70% load <= 50 ms (100-record envelopes)",
        latency.latencyMillis(0.99) <= 50, "%.1f ms", latency.latencyMillis(0.99));
    target(
        "E2E at " + mode.scaleRows() + " rows >= 0.8 x empty table",
        scaled / e2e100 >= 0.8,
        "%.2f",
        scaled / e2e100);
    target(
        "2x overload: still accepts >= 0.9 x the maximum",
        goodput / e2e100 >= 0.9,
        "%.2f",
        goodput / e2e100);
    target(
        "2x overload: sheds only with 503 + Retry-After",
        overload.refusedWithoutRetryAfter() + overload.other() == 0,
        "%.0f others",
        overload.refusedWithoutRetryAfter() + overload.other());
    target(
        "2x overload: heap within -Xmx512m, no OutOfMemoryError",
        survived && peakHeap <= 512,
        "%.0f MiB",
        peakHeap);

    figures.put("rounds", rounds);
    figures.put("kv_records_per_second", kv);
    figures.put(
        "latency_70",
        Map.of(
            "requests_per_second",
            latency.acceptedPerSecond(),
            "p50_ms",
            latency.latencyMillis(0.5),
            "p99_ms",
            latency.latencyMillis(0.99),
            "p999_ms",
            latency.latencyMillis(0.999)));
    figures.put("scale", Map.of("rows", mode.scaleRows(), "records_per_second", scaled));
    figures.put(
        "overload",
        Map.of(
            "accepted_records_per_second",
            goodput,
            "shed_with_retry_after",
            overload.refused(),
            "shed_without_retry_after",
            overload.refusedWithoutRetryAfter(),
            "other",
            overload.other()));
    figures.put(
        "memory",
        Map.of("peak_heap_mib", peakHeap, "peak_rss_mib", peakRss, "out_of_memory", !survived));

    System.out.println();
    table.forEach(System.out::println);
    Files.writeString(
        out.resolve("benchmark.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    Files.write(out.resolve("benchmark.txt"), table);
    System.out.println();
    System.out.println("Written to " + out.resolve("benchmark.json") + " and benchmark.txt");
  }

  private void section(String title) {
    table.add("");
    table.add(title);
  }

  private void row(String name, double value, String unit) {
    table.add(String.format(Locale.ROOT, "  %-50s %11.0f %s", name, value, unit));
  }

  private void target(String name, boolean met, String format, double value) {
    String measured = String.format(Locale.ROOT, format, value);
    table.add(String.format(Locale.ROOT, "  %-60s %s (%s)", name, met ? "PASS" : "FAIL", measured));
    figures.put("target: " + name, Map.of("met", met, "measured", measured));
  }
}
