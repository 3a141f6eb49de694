package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, run as a process, as an operator would. */
class CommandLineIT {

  private static final Path JAR = Path.of("target", "telemetry-collector.jar");
  private static final Path SCHEMAS = Path.of("..", "schemas");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path data;

  private record Run(int exitCode, String output) {}

  private static ProcessBuilder collector(Map<String, String> environment, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
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

  private static Run run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private static Run run(Map<String, String> environment, String... args) throws Exception {
    Process process = collector(environment, args).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void validateExitsZeroWhenEverythingIsValid() throws Exception {
    Run run =
        run(
            "validate",
            SCHEMAS.resolve("examples/envelope/valid/design-document-example.json").toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("design-document-example.json: valid, 2 record(s)");
  }

  @Test
  void validateExitsOneAndPrintsFilePointerAndMessageForEachViolation() throws Exception {
    Path broken = SCHEMAS.resolve("examples/envelope/invalid/payload-violation.json");
    Path valid = SCHEMAS.resolve("examples/envelope/valid/design-document-example.json");

    Run run = run("validate", valid.toString(), broken.toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains(broken + ": /payload/1/cpu_count: string found, integer" + " expected");
  }

  @Test
  void validatesBareTrentoArrays() throws Exception {
    Run run =
        run(
            "validate",
            "--legacy-trento-hosts",
            SCHEMAS
                .resolve("trento/host_telemetry/examples/v1/valid/later-generation.json")
                .toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void exitsTwoOnUsageErrors() throws Exception {
    assertThat(run("validate").exitCode()).isEqualTo(2);
    assertThat(run("validate", "/no/such/file.json").exitCode()).isEqualTo(2);
    assertThat(run("--no-such-option").exitCode()).isEqualTo(2);
    Run badPort = run(Map.of("TELEMETRY_HTTP_PORT", "eighty"), "serve");
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.output()).contains("TELEMETRY_HTTP_PORT (--http-port) must be a port");
  }

  @Test
  void listsTheTelemetryTypesAndHelpsEverywhere() throws Exception {
    assertThat(run("types").output())
        .contains("trento/host_telemetry v1")
        .contains("sles/system_profile v1");
    assertThat(run("--help").output()).contains("serve").contains("validate").contains("types");
    assertThat(run("serve", "--help").output())
        .contains("TELEMETRY_HTTP_PORT")
        .contains("TELEMETRY_INFLUXDB_URL")
        .contains("TELEMETRY_DATA_DIR");
    assertThat(run("validate", "--help").exitCode()).isZero();
  }

  @Test
  @Timeout(240)
  void servesOnEmbeddedStorageStopsCleanlyOnSigtermAndKeepsItsData() throws Exception {
    int port = TestServices.freePort();
    byte[] envelope =
        Files.readAllBytes(SCHEMAS.resolve("examples/envelope/valid/design-document-example.json"));

    Process first = serve(port, Map.of("TELEMETRY_DEBUG", "yes"));
    assertThat(get(port, "/api/ping")).isEqualTo("pong");
    assertThat(post(port, envelope)).isEqualTo("{\"accepted\":2,\"duplicates\":0}");
    assertThat(stop(first)).isZero();
    assertThat(Files.readString(data.resolve("collector.log")))
        .as("debug logging, asked for as 'yes'")
        .contains("[DEBUG] com.suse.telemetry.app.Main$Serve - Settings: ");

    Process second = serve(port, Map.of());
    assertThat(post(port, envelope))
        .as("data survived the restart")
        .isEqualTo("{\"accepted\":0,\"duplicates\":2}");
    assertThat(stop(second)).isZero();
    assertThat(Files.readString(data.resolve("collector.log"))).doesNotContain("[DEBUG]");
  }

  private Process serve(int port, Map<String, String> environment)
      throws IOException, InterruptedException {
    Process process =
        collector(environment, "--http-port", Integer.toString(port), "--data-dir", data.toString())
            .redirectOutput(data.resolve("collector.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        get(port, "/api/ping");
        return process;
      } catch (IOException notYet) {
        assertThat(process.isAlive()).as(Files.readString(data.resolve("collector.log"))).isTrue();
        assertThat(System.nanoTime()).as("started in time").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  private int stop(Process process) throws Exception {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(data.resolve("collector.log"))).contains("Stopped");
    return process.exitValue();
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String post(int port, byte[] body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/telemetry"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return response.body();
  }
}
