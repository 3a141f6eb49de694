package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.core.ForwardingSettings;
import com.suse.telemetry.storage.influx.InfluxSettings;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One record InfluxDB fails with 500 forever (a scripted InfluxDB): every other record gets
 * through, the record is parked with its reason, readiness says the sink is degraded, the outbox
 * drains; once InfluxDB is fixed, the operator retries the record.
 */
class PoisonRecordTest {

  @Test
  @Timeout(180)
  void parksTheRecordThatFailsOnItsOwnAndDeliversEveryOtherWithinAMinute() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    try (ScriptedInflux influx = ScriptedInflux.start();
        TestCollector collector =
            new TestCollector(
                database,
                values ->
                    values
                        .withText(InfluxSettings.URL, influx.url())
                        .withText(InfluxSettings.ORG, "suse")
                        .withText(InfluxSettings.BUCKET, "telemetry")
                        .with(ForwardingSettings.BATCH_SIZE, 20)
                        .with(ForwardingSettings.MAX_ATTEMPTS, 3))) {
      String first = TestTelemetry.hostsEnvelopeJson(10, 1);
      String poison = Readiness.agents(first).iterator().next();
      influx.failOn(poison);
      Set<String> expected = new HashSet<>();
      long start = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        String envelope = i == 0 ? first : TestTelemetry.hostsEnvelopeJson(10, 100 + i);
        assertThat(
                collector
                    .post("/api/v1/telemetry", envelope.getBytes(StandardCharsets.UTF_8))
                    .statusCode())
            .isEqualTo(202);
        expected.addAll(Readiness.agents(envelope));
        Thread.sleep(50);
      }
      expected.remove(poison);

      await()
          .atMost(Duration.ofSeconds(60).minusNanos(System.nanoTime() - start))
          .until(() -> influx.agents().containsAll(expected));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var check = Readiness.influxdb(collector);
                return check.path("parked").asLong() == 1 && check.path("pending").asLong() == 0;
              });

      assertThat(influx.agents()).doesNotContain(poison);
      assertThat(collector.get("/health/ready").statusCode())
          .as("ingestion goes on: still ready")
          .isEqualTo(200);
      assertThat(Readiness.influxdb(collector).path("status").asString()).isEqualTo("DEGRADED");
      Cli.Run parked =
          Cli.run(CollectorProcess.on(database), "outbox", "parked", "--sink", "influxdb");
      assertThat(parked.exitCode()).as(parked.error()).isZero();
      assertThat(parked.output())
          .contains("influxdb id ", "trento/host_telemetry v1", "after 3 attempt(s)", "HTTP 500");
      assertThat(parked.output().lines()).hasSize(1);

      influx.failOn(null);
      Cli.Run retried =
          Cli.run(CollectorProcess.on(database), "outbox", "retry", "--sink", "influxdb", "--all");
      assertThat(retried.output()).contains("1 parked record(s) queued for influxdb again");
      await().atMost(Duration.ofSeconds(30)).until(() -> influx.agents().contains(poison));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Readiness.influxdb(collector).path("status").asString().equals("UP"));
    }
  }
}
