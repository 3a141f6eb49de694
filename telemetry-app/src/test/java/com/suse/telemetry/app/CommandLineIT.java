package com.suse.telemetry.app;

import static com.suse.telemetry.app.CollectorProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.app.CollectorProcess.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, run as a process, as an operator would. */
class CommandLineIT {

  private static final Path SCHEMAS = Path.of("..", "schemas");

  @TempDir Path data;

  @Test
  void validateExitsZeroWhenEverythingIsValid() {
    Run run =
        run(
            Map.of(),
            "validate",
            SCHEMAS.resolve("examples/envelope/valid/design-document-example.json").toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("design-document-example.json: valid, 2 record(s)");
  }

  @Test
  void validateExitsOneAndPrintsFilePointerAndMessageForEachViolation() {
    Path broken = SCHEMAS.resolve("examples/envelope/invalid/payload-violation.json");
    Path valid = SCHEMAS.resolve("examples/envelope/valid/design-document-example.json");

    Run run = run(Map.of(), "validate", valid.toString(), broken.toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains(broken + ": /payload/1/cpu_count: string found, integer" + " expected");
  }

  @Test
  void validatesBareTrentoArrays() {
    Run run =
        run(
            Map.of(),
            "validate",
            "--legacy-trento-hosts",
            SCHEMAS
                .resolve("trento/host_telemetry/examples/v1/valid/later-generation.json")
                .toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void exitsTwoOnUsageErrors() {
    assertThat(run(Map.of(), "validate").exitCode()).isEqualTo(2);
    assertThat(run(Map.of(), "validate", "/no/such/file.json").exitCode()).isEqualTo(2);
    assertThat(run(Map.of(), "--no-such-option").exitCode()).isEqualTo(2);
    Run badPort = run(Map.of("TELEMETRY_HTTP_PORT", "eighty"), "serve");
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.output()).contains("TELEMETRY_HTTP_PORT (--http-port) must be a port");
  }

  @Test
  void listsTheTelemetryTypesAndHelpsEverywhere() {
    assertThat(run(Map.of(), "types").output())
        .contains("trento/host_telemetry v1")
        .contains("sles/system_profile v1");
    assertThat(run(Map.of(), "--help").output())
        .contains("serve")
        .contains("validate")
        .contains("types");
    assertThat(run(Map.of(), "serve", "--help").output())
        .contains("TELEMETRY_HTTP_PORT")
        .contains("TELEMETRY_INFLUXDB_URL")
        .contains("TELEMETRY_DATA_DIR");
    assertThat(run(Map.of(), "validate", "--help").exitCode()).isZero();
    assertThat(run(Map.of(), "--version").output())
        .containsPattern("Telemetry Collector [0-9]+\\.[0-9]+\\.[0-9]+")
        .containsPattern("commit ([0-9a-f]{7,}(-dirty)?|unknown)");
  }

  @Test
  @Timeout(240)
  void servesOnEmbeddedStorageStopsCleanlyOnSigtermAndKeepsItsData() throws Exception {
    byte[] envelope =
        Files.readAllBytes(SCHEMAS.resolve("examples/envelope/valid/design-document-example.json"));
    String dataDir = data.toString();

    Path firstLog = data.resolve("first.log");
    try (CollectorProcess first =
        CollectorProcess.serve(Map.of("TELEMETRY_DEBUG", "yes"), firstLog, "--data-dir", dataDir)) {
      assertThat(first.get("/api/ping").body()).isEqualTo("pong");
      assertThat(first.post("/api/v1/telemetry", envelope).body())
          .isEqualTo("{\"accepted\":2,\"duplicates\":0}");
      assertThat(first.stop()).isZero();
      assertThat(first.output())
          .contains("Stopped")
          .as("debug logging, asked for as 'yes'")
          .contains("[DEBUG] com.suse.telemetry.app.Main$Serve - Settings: ");
    }

    try (CollectorProcess second =
        CollectorProcess.serve(Map.of(), data.resolve("second.log"), "--data-dir", dataDir)) {
      assertThat(second.post("/api/v1/telemetry", envelope).body())
          .as("data survived the restart")
          .isEqualTo("{\"accepted\":0,\"duplicates\":2}");
      assertThat(second.stop()).isZero();
      assertThat(second.output()).contains("Stopped").doesNotContain("[DEBUG]");
    }
  }
}
