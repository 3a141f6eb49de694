package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code schemas lint} as a contributor runs it. */
class SchemasCommandTest {

  private static final Path SCHEMAS = Path.of("..", "schemas");

  @TempDir Path extra;

  private static int run(StringWriter out, String... args) {
    CommandLine commandLine = Main.commandLine(Map.of(), ConfigFile.none());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(out, true));
    return commandLine.execute(args);
  }

  @Test
  void passesThePublishedTypes() {
    StringWriter out = new StringWriter();

    int exitCode = run(out, "schemas", "lint", "--schemas-dir", SCHEMAS.toString());

    assertThat(exitCode).as(out.toString()).isZero();
    assertThat(out.toString()).contains("2 schema(s) checked: 0 error(s), 0 warning(s)");
  }

  @Test
  void failsANewVersionWhoseExamplesAreMissingAndReportsWhatItNarrowed() throws IOException {
    Path v2 = extra.resolve("trento/host_telemetry/v2.schema.json");
    Files.createDirectories(v2.getParent());
    Files.writeString(
        v2,
        Files.readString(SCHEMAS.resolve("trento/host_telemetry/v1.schema.json"))
            .replace("/v1.schema.json", "/v2.schema.json")
            .replace("\"enum\": [\"Community\", \"Premium\"]", "\"enum\": [\"Premium\"]"));
    StringWriter out = new StringWriter();

    int exitCode = run(out, "schemas", "lint", v2.toString());

    assertThat(exitCode).isEqualTo(1);
    assertThat(out.toString())
        .contains("ERROR " + v2 + ": no valid example")
        .contains(
            "WARNING "
                + v2
                + ": rejects what trento/host_telemetry v1 accepted: /*/installation_flavor: no"
                + " longer accepts \"Community\"")
        .contains("1 schema(s) checked: 2 error(s), 1 warning(s)");
    assertThat(run(new StringWriter(), "schemas", "lint", extra.resolve("nothing.json").toString()))
        .isEqualTo(2);
  }

  @Test
  void checksEachSinksSectionAsTheCollectorWill() throws IOException {
    Path v2 = extra.resolve("trento/host_telemetry/v2.schema.json");
    Files.createDirectories(v2.getParent());
    String v1 = Files.readString(SCHEMAS.resolve("trento/host_telemetry/v1.schema.json"));
    assertThat(v1).contains("\"agent_id\"]");
    Files.writeString(
        v2,
        v1.replace("/v1.schema.json", "/v2.schema.json")
            .replace("\"agent_id\"]", "\"agent_idd\"]"));
    StringWriter out = new StringWriter();

    int exitCode = run(out, "schemas", "lint", v2.toString());

    assertThat(exitCode).isEqualTo(1);
    assertThat(out.toString())
        .contains(
            "ERROR " + v2 + ": x-telemetry.influxdb: tags names 'agent_idd', which the schema");
  }
}
