package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.core.quarantine.QuarantineSettings;
import com.suse.telemetry.core.quarantine.QuarantineWriter;
import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.storage.influx.InfluxSettings;
import com.suse.telemetry.testkit.TestInflux;
import com.suse.telemetry.testkit.TestPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The quarantine end to end: what validation rejects is kept (the body and its facts only), listed
 * and replayed with the command line once a new schema version accepts it, and bounded.
 */
class QuarantineTest {

  private static final Path SCHEMAS = Path.of("..", "schemas");
  private static final String MEASUREMENT = "quarantine_replayed_profile";

  @TempDir Path extra;

  /** What a command printed, and its exit code. */
  private record Run(int exitCode, String out, String err) {}

  private static Run cli(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine(environment, ConfigFile.none());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** A profile as a newer SLES sends it, with a property v1 does not allow. */
  private static byte[] profileWithSecureBoot(String systemId) throws IOException {
    String profile =
        Files.readString(SCHEMAS.resolve("sles/system_profile/examples/v1/valid/bare-metal.json"))
            .replace("3f2b8c1e-9d4a-4f6b-a1e2-7c8d9e0f1a2b", systemId)
            .replaceFirst("\\{", "{\"secure_boot\": true,");
    return ("{\"application\":\"sles\",\"telemetry_type\":\"system_profile\","
            + "\"time\":\"2024-05-17T08:00:00Z\",\"payload\":"
            + profile
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Writes {@code sles/system_profile} v2 under {@code extra}: v1 and {@code secure_boot}. */
  private void addVersion2() throws IOException {
    String v2 =
        Files.readString(SCHEMAS.resolve("sles/system_profile/v1.schema.json"))
            .replace("/v1.schema.json", "/v2.schema.json")
            .replace(
                "\"properties\": {", "\"properties\": {\"secure_boot\": {\"type\": \"boolean\"},")
            .replace("\"sles_system_profile\"", "\"" + MEASUREMENT + "\"");
    Path file = extra.resolve("sles/system_profile/v2.schema.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, v2);
  }

  private static void awaitWritten(QuarantineWriter writer, long offered) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                writer.offered() >= offered
                    && writer.kept() + writer.repeats() + writer.missed() == writer.offered());
  }

  private static List<Map<String, Object>> rows(TestPostgres.Database database, String sql)
      throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection connection = database.connect();
        ResultSet result = connection.createStatement().executeQuery(sql)) {
      while (result.next()) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
          row.put(result.getMetaData().getColumnName(i), result.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static Map<String, String> database(TestPostgres.Database database) {
    return Map.of(
        "TELEMETRY_DB_URL", database.url(),
        "TELEMETRY_DB_USER", database.user(),
        "TELEMETRY_DB_PASSWORD", database.password());
  }

  private static Map<String, String> environment(TestPostgres.Database database) {
    TestInflux.Server influx = TestInflux.server();
    Map<String, String> environment = new HashMap<>(database(database));
    environment.putAll(
        Map.of(
            "TELEMETRY_INFLUXDB_URL", influx.url(),
            "TELEMETRY_INFLUXDB_TOKEN", influx.token(),
            "TELEMETRY_INFLUXDB_ORG", influx.org(),
            "TELEMETRY_INFLUXDB_BUCKET", influx.bucket()));
    return environment;
  }

  @Test
  @Timeout(180)
  void keepsWhatWasRejectedAndReplaysItOnceANewVersionAcceptsIt() throws Exception {
    addVersion2();
    TestInflux.Server influx = TestInflux.server();
    String systemId = UUID.randomUUID().toString();
    byte[] body = profileWithSecureBoot(systemId);
    try (TestCollector collector =
        new TestCollector(
            values ->
                values
                    .with(Settings.SCHEMAS_DIR, List.of(extra))
                    .with(InfluxSettings.URL, influx.url())
                    .with(InfluxSettings.TOKEN, influx.token())
                    .with(InfluxSettings.ORG, influx.org())
                    .with(InfluxSettings.BUCKET, influx.bucket()))) {
      QuarantineWriter writer = collector.collector.quarantine().orElseThrow();
      HttpResponse<String> rejected =
          collector.send(
              HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer s3cr3t-source-key")
                  .header("X-Forwarded-For", "203.0.113.77")
                  .header("User-Agent", "trento-agent/9.9")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
      assertThat(rejected.statusCode()).isEqualTo(400);
      assertThat(rejected.body()).contains("/payload/secure_boot");
      awaitWritten(writer, 1);
      assertThat(writer.kept()).isEqualTo(1);

      // Nothing but the body and its facts.
      List<Map<String, Object>> kept = rows(collector.database, "SELECT * FROM quarantine");
      assertThat(kept).hasSize(1);
      assertThat(kept.get(0).keySet())
          .containsExactlyInAnyOrder(
              "id",
              "fingerprint",
              "route",
              "media_type",
              "application",
              "telemetry_type",
              "schema_version",
              "first_violation",
              "violations",
              "body",
              "received_size",
              "size_bytes",
              "first_received_at",
              "last_received_at",
              "times_received");
      assertThat((byte[]) kept.get(0).get("body")).isEqualTo(body);
      assertThat(kept.get(0).get("media_type")).isEqualTo("application/json");
      String everything =
          rows(collector.database, "SELECT q::text AS row FROM quarantine q")
              .get(0)
              .get("row")
              .toString();
      assertThat(everything)
          .contains("secure_boot")
          .doesNotContain("s3cr3t")
          .doesNotContain("Bearer")
          .doesNotContain("203.0.113.77")
          .doesNotContain("127.0.0.1")
          .doesNotContain("trento-agent");

      HttpResponse<String> summary =
          collector.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + collector.collector.managementPort()
                              + "/quarantine"))
                  .GET());
      assertThat(summary.statusCode()).isEqualTo(200);
      assertThat(summary.body())
          .contains("\"first_violation\":\"/payload/secure_boot: is not a known property here\"")
          .contains("\"kept\":1");

      Map<String, String> environment = environment(collector.database);
      Run list = cli(environment, "quarantine", "list");
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(list.out())
          .contains("sles/system_profile")
          .contains("/payload/secure_boot: is not a known property here")
          .contains("Quarantine: 1 entries");
      long id = (Long) kept.get(0).get("id");
      Run show = cli(environment, "quarantine", "show", Long.toString(id));
      assertThat(show.out()).contains("claimed type:  sles/system_profile v1").contains(systemId);

      Run asClaimed = cli(environment, "quarantine", "replay", "--schemas-dir", extra.toString());
      assertThat(asClaimed.out()).contains("Replayed 0 of 1").contains("1 still invalid");
      Run dryRun =
          cli(
              environment,
              "quarantine",
              "replay",
              "--schemas-dir",
              extra.toString(),
              "--type",
              "sles/system_profile",
              "--as-version",
              "2",
              "--dry-run");
      assertThat(dryRun.out()).contains("Dry run: 1 of 1 would be stored (1 records)");
      assertThat(collector.rows()).isZero();

      Run replay =
          cli(
              environment,
              "quarantine",
              "replay",
              "--schemas-dir",
              extra.toString(),
              "--type",
              "sles/system_profile",
              "--as-version",
              "2");
      assertThat(replay.exitCode()).as(replay.err()).isZero();
      assertThat(replay.out()).contains("Replayed 1 of 1: 1 records stored, 0 already stored");
      assertThat(rows(collector.database, "SELECT schema_version FROM telemetry"))
          .containsExactly(Map.of("schema_version", 2));
      assertThat(rows(collector.database, "SELECT id FROM quarantine")).isEmpty();

      // The same body again: kept again, and replaying it stores nothing twice.
      assertThat(collector.post("/api/v1/telemetry", body).statusCode()).isEqualTo(400);
      awaitWritten(writer, 2);
      Run again =
          cli(
              environment,
              "quarantine",
              "replay",
              "--schemas-dir",
              extra.toString(),
              "--type",
              "sles/system_profile",
              "--as-version",
              "2");
      assertThat(again.out()).contains("Replayed 1 of 1: 0 records stored, 1 already stored");
      assertThat(collector.rows()).isEqualTo(1);

      // Forwarded like any other record.
      await().atMost(Duration.ofSeconds(60)).until(() -> !influx.read(MEASUREMENT).isEmpty());
      assertThat(influx.read(MEASUREMENT))
          .anySatisfy(value -> assertThat(value.series()).isEqualTo(MEASUREMENT + "_cpu_count"));
    }
  }

  /** An envelope of an unknown application, of about 700 bytes, distinct for each {@code n}. */
  private static byte[] unknownApplication(int n) {
    return ("{\"application\":\"acme_"
            + n
            + "\",\"telemetry_type\":\"widget\",\"time\":\"2025-01-01T00:00:00Z\",\"payload\":\""
            + "x".repeat(600)
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(180)
  void floodedWithDistinctInvalidBodiesStaysWithinItsCapDroppingTheOldestAndKeepsAnswering()
      throws Exception {
    long cap = 16L << 10;
    try (TestCollector collector =
        new TestCollector(
            values ->
                values.with(HttpSettings.CLIENT_RATE, 0).with(QuarantineSettings.MAX_SIZE, cap))) {
      QuarantineWriter writer = collector.collector.quarantine().orElseThrow();
      int sent = 200;
      for (int i = 0; i < sent; i++) {
        assertThat(collector.post("/api/v1/telemetry", unknownApplication(i)).statusCode())
            .isEqualTo(400);
      }
      awaitWritten(writer, sent);

      List<Map<String, Object>> usage =
          rows(
              collector.database,
              "SELECT (SELECT bytes FROM quarantine_usage) AS counted,"
                  + " (SELECT sum(size_bytes) FROM quarantine) AS actual,"
                  + " (SELECT count(*) FROM quarantine) AS entries");
      long counted = (Long) usage.get(0).get("counted");
      assertThat(counted).isLessThanOrEqualTo(cap).isPositive();
      assertThat(((Number) usage.get(0).get("actual")).longValue()).isEqualTo(counted);
      long entries = (Long) usage.get(0).get("entries");
      assertThat(writer.kept()).isEqualTo(sent);
      assertThat(writer.droppedForSize()).isEqualTo(sent - entries).isPositive();
      List<Map<String, Object>> bodies =
          rows(collector.database, "SELECT convert_from(body, 'UTF8') AS body FROM quarantine");
      assertThat(bodies)
          .extracting(row -> row.get("body").toString())
          .anyMatch(b -> b.contains("acme_" + (sent - 1) + "\""))
          .noneMatch(b -> b.contains("acme_0\""));

      Map<String, String> environment = database(collector.database);
      Run latest = cli(environment, "quarantine", "list", "--entries", "--limit", "2");
      assertThat(latest.out().lines().filter(line -> line.contains("/application: unknown")))
          .hasSize(2);
      assertThat(cli(environment, "quarantine", "purge").exitCode()).isEqualTo(2);
      assertThat(cli(environment, "quarantine", "purge", "--all").out())
          .contains("Purged " + entries + " quarantined submission(s).");
      assertThat(rows(collector.database, "SELECT entries, bytes FROM quarantine_usage"))
          .containsExactly(Map.of("entries", 0L, "bytes", 0L));
    }
  }

  @Test
  @Timeout(180)
  void answersInvalidBodies400WhilePostgresIsDownAndCountsWhatItCouldNotKeep() throws Exception {
    try (TestPostgres.DedicatedServer postgres = TestPostgres.startDedicated();
        TestCollector collector =
            new TestCollector(postgres.newDatabase(), UnaryOperator.identity())) {
      QuarantineWriter writer = collector.collector.quarantine().orElseThrow();
      postgres.stop();

      for (int i = 0; i < 20; i++) {
        // Answered within seconds, or the client gives up and the test fails.
        HttpResponse<String> answer =
            TestCollector.HTTP.send(
                HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(unknownApplication(i)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
      }
      awaitWritten(writer, 20);
      assertThat(writer.missed()).isEqualTo(20);

      postgres.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                collector.post("/api/v1/telemetry", unknownApplication(99));
                return writer.kept() > 0;
              });
    }
  }
}
