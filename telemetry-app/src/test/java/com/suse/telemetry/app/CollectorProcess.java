package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runnable jar as an operator runs it: a process of its own, with only the environment and
 * arguments a test gives (no {@code TELEMETRY_*} variable leaks in from the test's own), its output
 * in a log file.
 */
final class CollectorProcess implements AutoCloseable {

  static final Path JAR = Path.of("target", "telemetry-collector.jar");
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Path log;
  final int port;

  private CollectorProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** What a command printed and exited with. */
  record Run(int exitCode, String output) {}

  /** The command line that runs the jar with {@code args}. */
  static ProcessBuilder command(Map<String, String> environment, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(name -> name.startsWith("TELEMETRY_") && !name.startsWith("TELEMETRY_TEST_"));
    builder.environment().putAll(environment);
    return builder;
  }

  /** Runs a command to its end. */
  static Run run(Map<String, String> environment, String... args) {
    try {
      Process process = command(environment, args).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
      return new Run(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The settings that point a collector at {@code database}. */
  static Map<String, String> on(TestPostgres.Database database) {
    Map<String, String> environment = new HashMap<>();
    environment.put("TELEMETRY_DB_URL", database.url());
    environment.put("TELEMETRY_DB_USER", database.user());
    environment.put("TELEMETRY_DB_PASSWORD", database.password());
    return environment;
  }

  /**
   * Starts {@code serve} on a free port, its output in {@code log} (appended to, across restarts);
   * returns once it is ready to take submissions.
   */
  static CollectorProcess serve(Map<String, String> environment, Path log, String... args) {
    return serve(TestServices.freePort(), environment, log, args);
  }

  static CollectorProcess serve(
      int port, Map<String, String> environment, Path log, String... args) {
    List<String> arguments =
        new ArrayList<>(
            List.of("serve", "--http-port", Integer.toString(port), "--management-port", "0"));
    arguments.addAll(List.of(args));
    try {
      Process process =
          command(environment, arguments.toArray(String[]::new))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      CollectorProcess collector = new CollectorProcess(process, log, port);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (true) {
        try {
          if (collector.get("/health/ready").statusCode() == 200) {
            return collector;
          }
        } catch (UncheckedIOException notYet) {
          // Not listening yet.
        }
        assertThat(process.isAlive()).as(collector.output()).isTrue();
        assertThat(System.nanoTime()).as("started in time").isLessThan(deadline);
        Thread.sleep(100);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET());
  }

  HttpResponse<String> post(String path, byte[] body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** POSTs an envelope to whatever collector listens on {@code port} now. */
  static HttpResponse<String> post(int port, byte[] envelope) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/telemetry"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Everything the process printed so far. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks it to stop (SIGTERM) and waits; returns its exit code. */
  int stop() {
    process.destroy();
    return waitForExit();
  }

  /** Kills it at once (SIGKILL), as a crash would. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  int waitForExit() {
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      TestServices.stop(process, Duration.ofSeconds(30));
    }
  }
}
