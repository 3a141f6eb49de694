package com.suse.telemetry.bench;

import com.suse.telemetry.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector's {@code purge --older-than} command, run as an operator runs it (a JVM of its own,
 * on the collector's database) while the benchmark goes on: timed from its start to its exit, and
 * what it printed that it removed.
 */
final class PurgeCommand {

  private static final Pattern DROPPED = Pattern.compile("dropped (\\S+) \\((\\d+) records\\)");
  private static final Pattern REMOVED = Pattern.compile("removed (\\d+) record\\(s\\)");
  private static final long TIMEOUT_MINUTES = 10;
  private static final String CONNECTION_TIMEOUT = "30s";

  private PurgeCommand() {}

  /**
   * Starts {@code purge --older-than olderThan} of the collector in {@code collectorJar} on {@code
   * database}, under {@code heap}, its output in {@code log}; the future completes once it exited.
   *
   * @throws IllegalStateException (through the future) if it failed or did not end in time
   */
  static CompletableFuture<Measurements.Purge> start(
      Path collectorJar, Heap heap, TestPostgres.Database database, LocalDate olderThan, Path log) {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            heap.jvmOption(),
            "-jar",
            collectorJar.toString(),
            "purge",
            "--older-than",
            olderThan.toString(),
            "--db-url",
            database.url(),
            "--db-user",
            database.user(),
            "--db-password",
            database.password() == null ? "" : database.password(),
            // Its first connection comes from a cold JVM on a machine the collector keeps busy:
            // the default 3 s wait for it can run out before a single query.
            "--db-connection-timeout",
            CONNECTION_TIMEOUT);
    CompletableFuture<Measurements.Purge> purge = new CompletableFuture<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                purge.complete(run(command, olderThan, log));
              } catch (RuntimeException e) {
                purge.completeExceptionally(e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                purge.completeExceptionally(e);
              }
            },
            "purge");
    runner.setDaemon(true);
    runner.start();
    return purge;
  }

  private static Measurements.Purge run(List<String> command, LocalDate olderThan, Path log)
      throws InterruptedException {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().keySet().removeIf(variable -> variable.startsWith("TELEMETRY_"));
      long start = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "purge did not end within " + TIMEOUT_MINUTES + " minutes; see " + log);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      String output = Files.readString(log);
      if (process.exitValue() != 0) {
        // Measured as it is: a retention that cannot drop under this load is a result.
        return Measurements.Purge.failed(olderThan, seconds, lastLine(output));
      }
      return parse(olderThan, seconds, output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run purge", e);
    }
  }

  /** What the command printed it removed, {@code seconds} after it started. */
  static Measurements.Purge parse(LocalDate olderThan, double seconds, String output) {
    List<Measurements.DroppedPartition> dropped = new ArrayList<>();
    Matcher partitions = DROPPED.matcher(output);
    while (partitions.find()) {
      dropped.add(
          new Measurements.DroppedPartition(
              partitions.group(1), Long.parseLong(partitions.group(2))));
    }
    Matcher removed = REMOVED.matcher(output);
    if (!removed.find()) {
      throw new IllegalStateException("purge did not say what it removed:\n" + output);
    }
    return new Measurements.Purge(
        olderThan, seconds, dropped, Long.parseLong(removed.group(1)), "");
  }

  /** The last line of {@code output} that is not blank: what a failed command said last. */
  static String lastLine(String output) {
    return output
        .lines()
        .filter(line -> !line.isBlank())
        .reduce((first, second) -> second)
        .orElse("(no output)")
        .strip();
  }
}
