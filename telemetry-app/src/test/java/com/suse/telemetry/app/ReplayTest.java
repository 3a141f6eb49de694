package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.storage.influx.InfluxSettings;
import com.suse.telemetry.testkit.TestInflux;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records stored while no collector forwarded to InfluxDB reach it once a collector does and the
 * operator replays them; a replay of a time range after InfluxDB lost its data restores exactly the
 * points of that range.
 */
class ReplayTest {

  /** A stored record: its agent and its time. */
  private record Stored(String agent, Instant time) {}

  private static List<Stored> stored(TestPostgres.Database database) throws Exception {
    List<Stored> stored = new ArrayList<>();
    try (Connection connection = database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery("SELECT payload->>'agent_id', time FROM telemetry ORDER BY time")) {
      while (rows.next()) {
        stored.add(
            new Stored(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant()));
      }
    }
    return stored;
  }

  private static Set<String> agentsIn(TestInflux.DedicatedVictoriaMetrics influx) {
    return influx.read("host_telemetry").stream()
        .map(value -> value.tags().get("agent_id"))
        .collect(Collectors.toSet());
  }

  private static void post(TestCollector collector, int envelopes, int seed) {
    for (int i = 0; i < envelopes; i++) {
      byte[] envelope =
          TestTelemetry.hostsEnvelopeJson(10, seed + i).getBytes(StandardCharsets.UTF_8);
      assertThat(collector.post("/api/v1/telemetry", envelope).statusCode()).isEqualTo(202);
    }
  }

  /** Deletes every host point, as a lost InfluxDB would have none. */
  private static void wipe(TestInflux.DedicatedVictoriaMetrics influx) throws Exception {
    String match = URLEncoder.encode("{__name__=~\"host_telemetry_.*\"}", StandardCharsets.UTF_8);
    HttpResponse<String> deleted =
        TestCollector.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(influx.url() + "/api/v1/admin/tsdb/delete_series?match[]=" + match))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
  }

  @Test
  @Timeout(180)
  void replaysWhatWasStoredBeforeTheSinkWasEnabledAndATimeRangeAfterItLostData() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    Map<String, String> cli = CollectorProcess.on(database);
    try (TestCollector withoutSink = new TestCollector(database, UnaryOperator.identity())) {
      post(withoutSink, 3, 10);
    }
    try (TestInflux.DedicatedVictoriaMetrics influx = TestInflux.startVictoriaMetrics();
        TestCollector collector =
            new TestCollector(
                database,
                values ->
                    values
                        .withText(InfluxSettings.URL, influx.url())
                        .withText(InfluxSettings.TOKEN, influx.token())
                        .withText(InfluxSettings.ORG, influx.org())
                        .withText(InfluxSettings.BUCKET, influx.bucket()))) {
      post(collector, 1, 20);
      await().atMost(Duration.ofSeconds(30)).until(() -> agentsIn(influx).size() == 10);

      Cli.Run replay =
          Cli.run(
              cli,
              "outbox",
              "replay",
              "--sink",
              "influxdb",
              "--from",
              "2000-01-01",
              "--to",
              "2100-01-01T00:00:00Z");

      assertThat(replay.exitCode()).as(replay.error()).isZero();
      assertThat(replay.output())
          .contains("Replaying influxdb from 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z")
          .contains("Replayed 40 of 40 records (100%), 40 queued")
          .contains("Done: 40 records walked, 40 queued for influxdb (0 were waiting already).");
      List<Stored> stored = stored(database);
      Set<String> all = stored.stream().map(Stored::agent).collect(Collectors.toSet());
      await().atMost(Duration.ofSeconds(60)).until(() -> agentsIn(influx).equals(all));

      wipe(influx);
      assertThat(agentsIn(influx)).isEmpty();
      List<Stored> byTime = stored.stream().sorted(Comparator.comparing(Stored::time)).toList();
      Instant from = byTime.get(5).time();
      Instant to = byTime.get(25).time();
      Set<String> inRange = new HashSet<>();
      byTime.subList(5, 25).forEach(record -> inRange.add(record.agent()));
      Cli.Run range =
          Cli.run(
              cli,
              "outbox",
              "replay",
              "--sink",
              "influxdb",
              "--from",
              from.toString(),
              "--to",
              to.toString(),
              "--type",
              "trento/host_telemetry");

      assertThat(range.exitCode()).as(range.error()).isZero();
      assertThat(range.output()).contains("Done: 20 records walked, 20 queued");
      await().atMost(Duration.ofSeconds(60)).until(() -> agentsIn(influx).equals(inRange));
      assertThat(Cli.run(cli, "outbox", "sinks").output())
          .containsPattern("influxdb +enabled +0 pending +0 parked");
    }
  }
}
