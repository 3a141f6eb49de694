package com.suse.telemetry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures the collector end to end over HTTP beside the ceilings it cannot beat, in one run on one
 * machine, and reports a table ({@code benchmark.txt}), every figure ({@code benchmark.json}) and a
 * picture ({@code benchmark.png}):
 *
 * <ul>
 *   <li>K-H: a no-op Javalin endpoint that reads and discards the body (HTTP ceiling);
 *   <li>K-COPY: pgjdbc COPYs of the same records into the same table, on two connections as the
 *       collector commits on two (storage ceiling);
 *   <li>K-V: in-process parse, validate and split, one thread;
 *   <li>E2E: the collector, a process of its own under {@code -Xmx256m}, for envelopes of 1, 10,
 *       100 and 1000 records, saturated by closed-loop clients on kept-alive connections;
 *   <li>latency at 70% of the maximum, open loop, from each request's intended start, beside
 *       K-COMMIT: plain JDBC committing the same transactions at the same rate (PostgreSQL's own
 *       latency); on the shared PostgreSQL, then on one whose data is in memory;
 *   <li>2x overload: what the collector still takes, how fast, what it sheds, and its memory; and
 *       again with its admission fixed instead of adaptive;
 *   <li>E2E again once the table holds many rows over a year of monthly partitions;
 *   <li>retention: latency at 70% load before and while the collector's purge command drops a month
 *       of rows, and how long the table stays locked.
 * </ul>
 *
 * <p>These machines are shared and noisy, and a JVM reaches its speed only after its JIT has
 * compiled the request path: servers are warmed up first, then the ceilings and the collector are
 * measured in alternation, round after round, and the table gives medians. See {@link Plan}.
 */
@Command(
    name = "telemetry-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    subcommands = ProfileCommand.class,
    description = {
      "Measures the collector beside the ceilings it cannot beat, in one run on one machine.",
      "PostgreSQL comes from TELEMETRY_TEST_DB_URL, TELEMETRY_TEST_DB_USER and"
          + " TELEMETRY_TEST_DB_PASSWORD, else an embedded one."
    })
public final class Benchmark implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true)
  ModeChoice modeChoice;

  /** The mode, spelled out or as the short options the documentation and CI use. */
  static final class ModeChoice {
    @Option(
        names = "--mode",
        paramLabel = "full|quick|smoke",
        description =
            "full (default): to judge targets by; quick: under 3 minutes, too noisy to judge"
                + " targets by; smoke: under a minute, checks that every measurement runs.")
    Mode mode;

    @Option(names = "--quick", description = "Same as --mode quick.")
    boolean quick;

    @Option(names = "--smoke", description = "Same as --mode smoke.")
    boolean smoke;

    Mode mode() {
      return quick ? Mode.QUICK : smoke ? Mode.SMOKE : mode;
    }
  }

  @Option(
      names = "--collector-jar",
      paramLabel = "JAR",
      defaultValue = "telemetry-app/target/telemetry-collector.jar",
      description = "The collector to measure (default: ${DEFAULT-VALUE}).")
  Path collectorJar;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "telemetry-bench/target",
      description =
          "Where benchmark.txt, benchmark.json, benchmark.png and the servers' logs go"
              + " (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--collector-heap",
      paramLabel = "SIZE",
      defaultValue = "256m",
      description = "The collector's -Xmx, such as 256m or 1g (default: ${DEFAULT-VALUE}).")
  Heap collectorHeap;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description = "Rounds of ceilings and collector (default: the mode's; full: 3).")
  Integer rounds;

  @Option(
      names = "--open-loop-seconds",
      paramLabel = "SECONDS",
      description =
          "Length of each open-loop window: latency, K-COMMIT, overload (default: the mode's;"
              + " full: 60).")
  Double openLoopSeconds;

  @Option(
      names = "--scale-rows",
      paramLabel = "ROWS",
      description =
          "Rows stored over "
              + Plan.SCALE_MONTHS
              + " monthly partitions before the scale measurement (default: the mode's; full:"
              + " 20000000).")
  Long scaleRows;

  @Option(
      names = "--retention-rows",
      paramLabel = "ROWS",
      description =
          "Rows of the month the retention measurement drops (default: the mode's; full:"
              + " 5000000).")
  Long retentionRows;

  @Option(
      names = "--commit-connections",
      paramLabel = "N",
      defaultValue = "8",
      description = "Connections K-COMMIT commits on (default: ${DEFAULT-VALUE}).")
  int commitConnections;

  @Option(
      names = "--memory-run",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Compare latencies again with PostgreSQL's data in memory (default: ${DEFAULT-VALUE}).")
  boolean memoryRun;

  @Option(
      names = "--memory-dir",
      paramLabel = "DIR",
      defaultValue = "/dev/shm",
      description = "A tmpfs for the in-memory PostgreSQL's data (default: ${DEFAULT-VALUE}).")
  Path memoryDirectory;

  @Option(
      names = "--profile",
      description =
          "Record each collector with JDK Flight Recorder (its 'profile' settings) into the output"
              + " directory, to see where its time goes: collector.jfr, collector-memory.jfr.")
  boolean profile;

  /** Runs the benchmark and exits: 0 when it ran (whatever the targets), 2 on a usage error. */
  public static void main(String[] args) {
    // The picture is drawn off screen.
    System.setProperty("java.awt.headless", "true");
    // The embedded PostgreSQL logs every line of its start and stop; its errors are enough here.
    System.setProperty("org.slf4j.simpleLogger.log.io.zonky.test.db.postgres", "warn");
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new Benchmark())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .registerConverter(Heap.class, Heap::parse);
  }

  /** The plan the options ask for: the mode's, with what the options change. */
  Plan plan() {
    Mode mode = modeChoice == null ? Mode.FULL : modeChoice.mode();
    return new Plan(
        mode,
        rounds == null ? mode.rounds : rounds,
        openLoopSeconds == null ? mode.openLoopSeconds : openLoopSeconds,
        scaleRows == null ? mode.scaleRows : scaleRows,
        retentionRows == null ? mode.retentionRows : retentionRows,
        commitConnections,
        collectorHeap,
        memoryRun,
        memoryDirectory);
  }

  @Override
  public Integer call() throws Exception {
    Plan plan;
    try {
      plan = plan();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (!Files.isRegularFile(collectorJar)) {
      throw new ParameterException(
          spec.commandLine(),
          collectorJar
              + " not found: build it first (mvn -q -B package -DskipTests), or name it with"
              + " --collector-jar");
    }
    if (plan.memoryRun() && !Files.isDirectory(plan.memoryDirectory())) {
      throw new ParameterException(
          spec.commandLine(),
          plan.memoryDirectory()
              + " is not a directory: name a tmpfs with --memory-dir, or skip the in-memory"
              + " comparison with --no-memory-run");
    }
    Path benchJar =
        Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Files.createDirectories(out);

    Measurements measurements = BenchmarkRun.run(plan, collectorJar, benchJar, out, profile);
    List<Targets.Evaluation> evaluations = Targets.evaluate(measurements);
    List<String> table = Report.text(measurements, evaluations);
    System.out.println();
    table.forEach(System.out::println);
    Files.write(out.resolve("benchmark.txt"), table);
    Files.writeString(out.resolve("benchmark.json"), Report.json(measurements, evaluations));
    ResultChart.write(measurements, out.resolve("benchmark.png"));
    System.out.println();
    System.out.println(
        "Written to " + out.resolve("benchmark.txt") + ", benchmark.json and benchmark.png");
    return 0;
  }
}
