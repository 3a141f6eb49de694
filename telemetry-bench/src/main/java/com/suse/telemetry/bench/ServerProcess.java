package com.suse.telemetry.bench;

import com.suse.telemetry.testkit.TestServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server under test, run as a JVM process of its own (as in production, apart from the load
 * generator), with its heap sampled by {@code jstat} and its peak resident memory read from {@code
 * /proc}.
 */
final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final int port;
  private Process jstat;
  private volatile long peakHeapKib;

  private ServerProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code java <jvmArgs...>} and waits until it accepts connections on {@code port}. */
  static ServerProcess start(String name, int port, Path log, List<String> arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("TELEMETRY_"));
    ServerProcess server = new ServerProcess(builder.start(), log, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!server.accepting()) {
      if (!server.process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " did not start; see " + log + ":\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    server.sampleHeap();
    return server;
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /**
   * Whether it answers and is ready: the collector listens before PostgreSQL is migrated, and says
   * 503 on its readiness route until then (the no-op server has no such route: any other answer).
   */
  private boolean accepting() {
    try {
      HttpURLConnection ready =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + "/health/ready").toURL().openConnection();
      ready.setConnectTimeout(1_000);
      ready.setReadTimeout(5_000);
      int status = ready.getResponseCode();
      ready.disconnect();
      return status != 503;
    } catch (IOException e) {
      return false;
    }
  }

  /** Samples the heap in use (young and old generations) every 200 ms with jstat. */
  private void sampleHeap() throws IOException {
    Path jstatBinary = Path.of(System.getProperty("java.home"), "bin", "jstat");
    if (!Files.isExecutable(jstatBinary)) {
      return;
    }
    jstat =
        new ProcessBuilder(jstatBinary.toString(), "-gc", Long.toString(process.pid()), "200")
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
                List<String> header = null;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  List<String> columns = List.of(line.trim().split("\\s+"));
                  if (columns.contains("EU")) {
                    header = columns;
                  } else if (header != null && columns.size() == header.size()) {
                    double used = 0;
                    for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                      used += Double.parseDouble(columns.get(header.indexOf(column)));
                    }
                    peakHeapKib = Math.max(peakHeapKib, (long) used);
                  }
                }
              } catch (IOException | NumberFormatException e) {
                // Sampling ends with the process.
              }
            },
            "jstat-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** The most heap in use seen, in MiB. */
  double peakHeapMib() {
    return peakHeapKib / 1024.0;
  }

  /** The peak resident set size of the process, in MiB (VmHWM), or NaN when unknown. */
  double peakRssMib() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      // Not Linux.
    }
    return Double.NaN;
  }

  /**
   * Writes the flight recording named {@code recording}, started with the process, to {@code file}:
   * asked for with jcmd while the process runs, since a JVM that halts on a stop signal need not
   * write it on exit.
   */
  void dumpFlightRecording(String recording, Path file) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process dump =
        new ProcessBuilder(
                jcmd.toString(),
                Long.toString(process.pid()),
                "JFR.dump",
                "name=" + recording,
                "filename=" + file.toAbsolutePath())
            .redirectErrorStream(true)
            .start();
    String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!dump.waitFor(60, TimeUnit.SECONDS) || dump.exitValue() != 0 || !Files.exists(file)) {
      throw new IllegalStateException("jcmd could not write " + file + ": " + output);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (jstat != null) {
      jstat.destroy();
    }
    TestServices.stop(process, Duration.ofSeconds(60));
  }
}
