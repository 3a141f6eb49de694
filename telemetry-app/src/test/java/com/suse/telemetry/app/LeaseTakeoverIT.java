package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.suse.telemetry.core.ForwardingSettings;
import com.suse.telemetry.storage.influx.InfluxSettings;
import com.suse.telemetry.testkit.TestInflux;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica killed (SIGKILL) while its sink write is in flight, holding a leased batch: another
 * replica delivers the batch once the lease has run out; nothing is lost, and the points the dead
 * replica's write did deliver are delivered again harmlessly, as the same series and timestamps.
 */
class LeaseTakeoverIT {

  private static final String LEASE = "4s";

  @TempDir Path directory;

  /**
   * Sits between a replica and VictoriaMetrics: passes the first write on, then never answers it,
   * as an InfluxDB whose answer was lost; the replica waits for it, holding its batch.
   */
  private static final class SwallowingProxy implements AutoCloseable {
    final HttpServer server;
    final CountDownLatch passedOn = new CountDownLatch(1);
    final CountDownLatch closing = new CountDownLatch(1);
    final AtomicInteger writes = new AtomicInteger();

    SwallowingProxy(String target) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/api/v2/write", exchange -> passOn(exchange, target));
      server.start();
    }

    private void passOn(HttpExchange exchange, String target) throws IOException {
      writes.incrementAndGet();
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if (encoding != null) {
        request.header("Content-Encoding", encoding);
      }
      try {
        HttpResponse<String> answer =
            TestCollector.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        passedOn.countDown();
        closing.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      closing.countDown();
      server.stop(0);
    }
  }

  /** The outbox entries leased now, with the end of their lease. */
  private record Leased(Set<Long> ids, OffsetDateTime until) {}

  private static Leased leased(TestPostgres.Database database) throws SQLException {
    Set<Long> ids = new HashSet<>();
    OffsetDateTime until = null;
    try (Connection connection = database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT telemetry_id, lease_expires_at FROM outbox"
                        + " WHERE lease_expires_at > now()")) {
      while (rows.next()) {
        ids.add(rows.getLong(1));
        until = rows.getObject(2, OffsetDateTime.class);
      }
    }
    return new Leased(ids, until);
  }

  /** Whether none of {@code ids} waits any more, and if so, whether their lease had run out. */
  private static Boolean goneAfterLease(TestPostgres.Database database, Leased leased)
      throws SQLException {
    try (Connection connection = database.connect();
        var query =
            connection.prepareStatement(
                "SELECT count(*), now() >= ? FROM outbox WHERE telemetry_id = ANY(?)")) {
      query.setObject(1, leased.until());
      query.setArray(2, connection.createArrayOf("bigint", leased.ids().toArray()));
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getLong(1) > 0 ? null : result.getBoolean(2);
      }
    }
  }

  @Test
  @Timeout(300)
  void anotherReplicaDeliversTheBatchOfAKilledOneOnceItsLeaseRunsOut() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    try (TestInflux.DedicatedVictoriaMetrics influx = TestInflux.startVictoriaMetrics();
        SwallowingProxy proxy = new SwallowingProxy(influx.url())) {
      Map<String, String> first = new HashMap<>(CollectorProcess.on(database));
      first.put("TELEMETRY_INFLUXDB_URL", proxy.url());
      first.put("TELEMETRY_INFLUXDB_ORG", influx.org());
      first.put("TELEMETRY_INFLUXDB_BUCKET", influx.bucket());
      first.put("TELEMETRY_INFLUXDB_TIMEOUT", "10m");
      first.put("TELEMETRY_OUTBOX_LEASE", LEASE);
      Set<String> agents = new HashSet<>();
      Leased held;
      try (CollectorProcess dying = CollectorProcess.serve(first, directory.resolve("dying.log"))) {
        for (int i = 0; i < 10; i++) {
          String envelope = TestTelemetry.hostsEnvelopeJson(10, 500 + i);
          assertThat(dying.post("/api/v1/telemetry", envelope.getBytes(StandardCharsets.UTF_8)))
              .extracting(HttpResponse::statusCode)
              .isEqualTo(202);
          agents.addAll(Readiness.agents(envelope));
        }
        assertThat(proxy.passedOn.await(60, TimeUnit.SECONDS)).as(dying.output()).isTrue();
        held = leased(database);
        assertThat(held.ids()).as("the batch in flight is leased").isNotEmpty();
        dying.kill();
      }

      try (TestCollector survivor =
          new TestCollector(
              database,
              values ->
                  values
                      .withText(InfluxSettings.URL, influx.url())
                      .withText(InfluxSettings.ORG, influx.org())
                      .withText(InfluxSettings.BUCKET, influx.bucket())
                      .withText(ForwardingSettings.LEASE, LEASE))) {
        Boolean afterLease =
            await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> goneAfterLease(database, held), gone -> gone != null);
        assertThat(afterLease).as("delivered only once the lease ran out").isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> survivor.rows() == 100);
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  assertThat(Readiness.influxdb(survivor).path("pending").asLong(-1)).isZero();
                  assertThat(influxAgents(influx)).isEqualTo(agents);
                });
      }

      // Each point once, however many times it was written: the same series and timestamp.
      List<TestInflux.StoredValue> samples =
          influx.read("host_telemetry").stream()
              .filter(value -> value.series().equals("host_telemetry_cpu_count"))
              .toList();
      Set<String> points = new HashSet<>();
      samples.forEach(
          value -> points.add(value.tags().get("agent_id") + "@" + value.epochMillis()));
      assertThat(points).hasSize(100);
      assertThat(samples).hasSizeGreaterThanOrEqualTo(100 + held.ids().size());
      assertThat(proxy.writes.get()).as("the dying replica wrote once, then waited").isEqualTo(1);
    }
  }

  private static Set<String> influxAgents(TestInflux.Server influx) {
    Set<String> agents = new HashSet<>();
    influx.read("host_telemetry").forEach(value -> agents.add(value.tags().get("agent_id")));
    return agents;
  }
}
