package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.IngestionResult;
import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.OutboxForwarder;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.storage.influx.InfluxSettings;
import com.suse.telemetry.storage.influx.InfluxTelemetrySink;
import com.suse.telemetry.storage.postgres.PostgresDataSources;
import com.suse.telemetry.storage.postgres.PostgresMigrations;
import com.suse.telemetry.storage.postgres.PostgresOutbox;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.storage.postgres.PostgresSinks;
import com.suse.telemetry.storage.postgres.PostgresTelemetryStore;
import com.suse.telemetry.testkit.TestInflux;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records taken in through the ingestion service reach a real server speaking InfluxDB's write
 * protocol, through the PostgreSQL outbox, and survive the sink's outages.
 */
class ForwardingTest {

  private static final TelemetryTypeRegistry REGISTRY = TelemetryTypeRegistry.bundled();

  private HikariDataSource pool;
  private PostgresTelemetryStore store;
  private PostgresOutbox outbox;
  private IngestionService ingestion;
  private TestInflux.DedicatedVictoriaMetrics influx;
  private InfluxTelemetrySink sink;
  private OutboxForwarder forwarder;

  @BeforeEach
  void wire() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    PostgresSettings postgres =
        PostgresSettings.of(database.url(), database.user(), database.password());
    PostgresMigrations.migrate(postgres);
    pool = PostgresDataSources.pooled(postgres);
    PostgresSinks.create(pool).register(InfluxTelemetrySink.NAME);
    store = PostgresTelemetryStore.create(pool);
    outbox = PostgresOutbox.create(pool);
    ingestion = IngestionService.create(TelemetryValidator.create(REGISTRY), store);
    influx = TestInflux.startVictoriaMetrics();
    sink =
        InfluxTelemetrySink.create(
            REGISTRY,
            new InfluxSettings(
                influx.url(),
                influx.token(),
                influx.org(),
                influx.bucket(),
                500,
                Duration.ofSeconds(5)));
    forwarder =
        OutboxForwarder.builder(outbox, sink)
            .batchSize(500)
            .idleDelay(Duration.ofMillis(50))
            .initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofSeconds(1))
            .build();
  }

  @AfterEach
  void close() {
    forwarder.close();
    sink.close();
    influx.close();
    pool.close();
  }

  @Test
  @Timeout(120)
  void recordsIngestedAppearAsTheOriginalCollectorsPoints() throws Exception {
    forwarder.start();
    IngestionResult result =
        ingestion.ingest(
            Files.readAllBytes(
                Path.of("../schemas/examples/envelope/valid/design-document-example.json")));
    assertThat(result.accepted()).isEqualTo(2);

    await(() -> outbox.lag(InfluxTelemetrySink.NAME).pending() == 0);

    List<TestInflux.StoredValue> cpuCounts =
        influx.read("host_telemetry").stream()
            .filter(value -> value.series().equals("host_telemetry_cpu_count"))
            .toList();
    assertThat(cpuCounts)
        .extracting(TestInflux.StoredValue::tags)
        .containsExactlyInAnyOrder(
            java.util.Map.of(
                "installation_id",
                "7826342e-8888-8888-8888-253f89af9127",
                "agent_id",
                "e93c2b22-5555-5555-8666-12372d2cb8ac"),
            java.util.Map.of(
                "installation_id",
                "7826342e-8888-8888-8888-253f89af9127",
                "agent_id",
                "e93c2b22-4444-4444-4444-12372d2cb8ac"));
    assertThat(cpuCounts)
        .allSatisfy(
            value -> {
              assertThat(value.value()).isEqualTo(2.0);
              assertThat(value.epochMillis())
                  .isEqualTo(Instant.parse("2021-11-23T10:04:02.462Z").toEpochMilli());
            });
    assertThat(influx.read("host_telemetry"))
        .extracting(TestInflux.StoredValue::series)
        .containsOnly(
            "host_telemetry_cpu_count",
            "host_telemetry_socket_count",
            "host_telemetry_total_memory_mb",
            "host_telemetry_sles_version",
            "host_telemetry_cloud_provider");
  }

  @Test
  @Timeout(180)
  void losesNothingWhileTheSinkIsDownAndIngestionNeverWaitsForIt() throws Exception {
    forwarder.start();
    List<Long> latenciesMillis = new ArrayList<>();
    int envelopes = 0;
    int records = 0;
    long stopAt = 15;
    long restartAt = 45;
    for (int i = 0; i < 60; i++) {
      if (i == stopAt) {
        influx.stop();
      } else if (i == restartAt) {
        assertThat(forwarder.failures()).as("the forwarder noticed the outage").isPositive();
        assertThat(outbox.lag(InfluxTelemetrySink.NAME).pending()).isPositive();
        influx.start();
      }
      byte[] envelope =
          TestTelemetry.hostsEnvelopeJson(25, 10_000 + i).getBytes(StandardCharsets.UTF_8);
      long start = System.nanoTime();
      IngestionResult result = ingestion.ingest(envelope);
      latenciesMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      assertThat(result.isAccepted()).isTrue();
      assertThat(result.accepted()).isEqualTo(25);
      envelopes++;
      records += result.accepted();
      Thread.sleep(100);
    }

    await(() -> outbox.lag(InfluxTelemetrySink.NAME).pending() == 0);

    // Every record arrived; one delivered twice would be the same series and time again.
    Set<String> points = new HashSet<>();
    int samples = 0;
    for (TestInflux.StoredValue value : influx.read("host_telemetry")) {
      if (value.series().equals("host_telemetry_cpu_count")) {
        points.add(value.tags().get("agent_id") + "@" + value.epochMillis());
        samples++;
      }
    }
    assertThat(points).hasSize(records);
    assertThat(samples).isGreaterThanOrEqualTo(records);
    assertThat(storedAgents()).hasSize(records);
    assertThat(envelopes).isEqualTo(60);
    long slowest = latenciesMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
    System.out.printf(
        "ingestion latency: slowest %d ms of %d envelopes (sink down for 30)%n",
        slowest, envelopes);
    assertThat(slowest).as("ingestion waited on the sink").isLessThan(5_000);
  }

  private Set<String> storedAgents() throws SQLException {
    Set<String> agents = new HashSet<>();
    try (Connection connection = pool.getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery("SELECT payload->>'agent_id', time FROM telemetry")) {
      while (rows.next()) {
        agents.add(
            rows.getString(1)
                + "@"
                + rows.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli());
      }
    }
    return agents;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
