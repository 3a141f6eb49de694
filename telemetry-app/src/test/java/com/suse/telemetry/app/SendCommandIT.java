package com.suse.telemetry.app;

import static com.suse.telemetry.app.CollectorProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.app.CollectorProcess.Run;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code send} run as a process against a collector run as a process, and its exit codes. */
class SendCommandIT {

  private static final Path SCHEMAS = Path.of("..", "schemas");
  private static final Path VALID =
      SCHEMAS.resolve("examples/envelope/valid/design-document-example.json");
  private static final Path INVALID =
      SCHEMAS.resolve("examples/envelope/invalid/payload-violation.json");
  private static final Path HOSTS =
      SCHEMAS.resolve("trento/host_telemetry/examples/v1/valid/later-generation.json");

  @TempDir static Path directory;
  private static TestPostgres.Database database;
  private static CollectorProcess collector;

  @BeforeAll
  static void start() {
    database = TestPostgres.newDatabase();
    collector =
        CollectorProcess.serve(CollectorProcess.on(database), directory.resolve("collector.log"));
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  private static String url() {
    return "http://127.0.0.1:" + collector.port;
  }

  private static String nobody() {
    return "http://127.0.0.1:" + TestServices.freePort();
  }

  @Test
  void sendsAValidFileOnceAndExitsZero() throws SQLException {
    Run first = run(Map.of(), "send", "--url", url(), VALID.toString());
    Run again = run(Map.of(), "send", "--url", url(), VALID.toString());
    Run legacy = run(Map.of(), "send", "--url", url(), "--legacy-trento-hosts", HOSTS.toString());

    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(first.output()).contains(VALID + ": accepted 2, duplicates 0");
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains(VALID + ": accepted 0, duplicates 2");
    assertThat(legacy.exitCode()).as(legacy.output()).isZero();
    assertThat(legacy.output()).contains(HOSTS + ": accepted 2, duplicates 0");
    assertThat(rows("trento")).isEqualTo(4);
  }

  @Test
  void refusesAnInvalidFileLocallyWithItsPointersAndExitsOne() throws SQLException {
    long before = rows("trento");

    Run run = run(Map.of(), "send", "--url", url(), INVALID.toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains(INVALID + ": /payload/1/cpu_count: string found, integer expected");
    assertThat(rows("trento")).isEqualTo(before);
    assertThat(collector.output()).as("never sent").doesNotContain("Rejected submission");
  }

  @Test
  void exitsTwoWhenTheCollectorIsDownForTheWholeBudget() {
    Run run = run(Map.of(), "send", "--url", nobody(), "--time-budget", "2s", VALID.toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains(VALID + ": not delivered: the time budget is spent");
  }

  @Test
  void aSpooledFileIsSentByTheNextRunOnTheSpool() throws Exception {
    Path spool = Files.createDirectory(directory.resolve("spool"));
    Path profile =
        SCHEMAS.resolve("sles/system_profile/examples/v1/valid/bare-metal.json").toAbsolutePath();
    Path envelope = directory.resolve("profile-envelope.json");
    Files.writeString(
        envelope,
        "{\"application\":\"sles\",\"telemetry_type\":\"system_profile\","
            + "\"time\":\"2024-06-01T12:00:00Z\",\"payload\":"
            + Files.readString(profile)
            + "}");

    Run down =
        run(
            Map.of(),
            "send",
            "--url",
            nobody(),
            "--time-budget",
            "1s",
            "--spool",
            spool.toString(),
            envelope.toString());
    Run up = run(Map.of(), "send", "--url", url(), "--spool", spool.toString());

    assertThat(down.exitCode()).as(down.output()).isEqualTo(2);
    assertThat(down.output()).contains("kept in the spool").contains("spool: 1 envelope(s) left");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("spool: 0 envelope(s) left");
    assertThat(rows("sles")).isEqualTo(1);
  }

  @Test
  void exitsTwoOnUsageErrors() {
    assertThat(run(Map.of(), "send").exitCode()).isEqualTo(2);
    assertThat(run(Map.of(), "send", "/no/such/file.json").exitCode()).isEqualTo(2);
    Run badUrl = run(Map.of(), "send", "--url", "ftp://example.com", VALID.toString());
    assertThat(badUrl.exitCode()).isEqualTo(2);
    assertThat(badUrl.output()).contains("must be http or https");
    Run badBudget = run(Map.of(), "send", "--time-budget", "soon", VALID.toString());
    assertThat(badBudget.exitCode()).isEqualTo(2);
    assertThat(badBudget.output()).contains("--time-budget must be a duration");
  }

  private static long rows(String application) throws SQLException {
    try (Connection connection = database.connect();
        ResultSet count =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*) FROM telemetry WHERE application = '" + application + "'")) {
      count.next();
      return count.getLong(1);
    }
  }
}
