package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API under a store outage, overload and shutdown. */
class HttpResilienceTest {

  @Test
  @Timeout(120)
  void answers503WithRetryAfterWhilePostgresIsDownThenRecovers() {
    try (TestPostgres.DedicatedServer postgres = TestPostgres.startDedicated();
        TestCollector collector =
            new TestCollector(postgres.newDatabase(), HttpSettings.defaults(0))) {
      byte[] envelope = TestTelemetry.hostsEnvelopeJson(5, 1).getBytes(StandardCharsets.UTF_8);
      assertThat(collector.post("/api/v1/telemetry", envelope).statusCode()).isEqualTo(202);

      postgres.stop();
      HttpResponse<String> down =
          collector.post(
              "/api/v1/telemetry",
              TestTelemetry.hostsEnvelopeJson(5, 2).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> ready = collector.get("/health/ready");

      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).contains("5");
      assertThat(down.body()).contains("store-unavailable");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.headers().firstValue("Retry-After")).isPresent();
      assertThat(ready.body()).contains("\"postgres\":\"DOWN\"");
      assertThat(collector.get("/health/live").statusCode()).isEqualTo(200);

      postgres.start();
      // The pool reconnects by itself, within the few seconds its reconnection back-off takes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (collector.get("/health/ready").statusCode() != 200) {
        assertThat(System.nanoTime()).as("ready again in time").isLessThan(deadline);
      }
      HttpResponse<String> back =
          collector.post(
              "/api/v1/telemetry",
              TestTelemetry.hostsEnvelopeJson(5, 2).getBytes(StandardCharsets.UTF_8));
      assertThat(back.statusCode()).isEqualTo(202);
      assertThat(back.body()).isEqualTo("{\"accepted\":5,\"duplicates\":0}");
      assertThat(collector.rows()).isEqualTo(10);
    }
  }

  @Test
  @Timeout(120)
  void turnsAwayWhatItCannotTakeWith503AndRetryAfter() throws Exception {
    HttpSettings defaults = HttpSettings.defaults(0);
    HttpSettings oneAtATime =
        new HttpSettings(
            defaults.host(),
            0,
            defaults.maxBodyBytes(),
            defaults.maxDecompressedBytes(),
            1,
            defaults.memoryBudgetBytes(),
            defaults.retryAfter(),
            defaults.shutdownGrace());
    try (TestCollector collector = new TestCollector(oneAtATime);
        HeldSubmission held =
            new HeldSubmission(
                collector,
                TestTelemetry.hostsEnvelopeJson(2000, 3).getBytes(StandardCharsets.UTF_8))) {
      // Let the held submission take the only place first: sent any sooner, the submissions
      // below would take it in turn, and the held one would be the one turned away.
      Thread.sleep(500);
      HttpResponse<String> busy;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      do {
        busy =
            collector.post(
                "/api/v1/telemetry",
                TestTelemetry.hostsEnvelopeJson(1, 4).getBytes(StandardCharsets.UTF_8));
      } while (busy.statusCode() == 202 && System.nanoTime() < deadline);

      assertThat(busy.statusCode()).isEqualTo(503);
      assertThat(busy.headers().firstValue("Retry-After")).contains("5");
      assertThat(busy.body()).contains("overloaded");
      assertThat(held.release()).isEqualTo(202);
    }
  }

  @Test
  @Timeout(120)
  void finishesASubmissionInFlightWhenStopped() throws Exception {
    TestCollector collector = new TestCollector();
    HeldSubmission inFlight =
        new HeldSubmission(
            collector, TestTelemetry.hostsEnvelopeJson(2000, 5).getBytes(StandardCharsets.UTF_8));
    Thread.sleep(300);

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(collector::close);
    Thread.sleep(300);
    assertThat(stopping).as("stop waits for the submission").isNotDone();
    int answer = inFlight.release();
    stopping.get(60, TimeUnit.SECONDS);
    inFlight.close();
    assertThat(answer).isEqualTo(202);
    try (Connection connection = collector.database.connect();
        ResultSet rows =
            connection.createStatement().executeQuery("SELECT count(*) FROM telemetry")) {
      rows.next();
      assertThat(rows.getLong(1)).as("committed before the answer").isEqualTo(2000);
    }
  }
}
