package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API under a store outage, overload and shutdown. */
class HttpResilienceTest {

  @Test
  @Timeout(120)
  void answers503WithRetryAfterWhilePostgresIsDownThenRecovers() {
    try (TestPostgres.DedicatedServer postgres = TestPostgres.startDedicated();
        TestCollector collector =
            new TestCollector(postgres.newDatabase(), UnaryOperator.identity())) {
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
    try (TestCollector collector =
        new TestCollector(
            values ->
                values
                    .with(HttpSettings.MAX_SUBMISSIONS_IN_FLIGHT, 1)
                    .with(HttpSettings.CLIENT_RATE, 0))) {
      CompletableFuture<HttpResponse<String>> held;
      HttpResponse<String> busy;
      try (LockedTable locked = new LockedTable(collector.database)) {
        held = collector.postAsync("/api/v1/telemetry", hosts(20, 3));
        await().atMost(Duration.ofSeconds(30)).until(() -> locked.waiting() == 1);

        busy = collector.post("/api/v1/telemetry", hosts(1, 4));
      }

      assertThat(busy.statusCode()).isEqualTo(503);
      assertThat(busy.headers().firstValue("Retry-After")).contains("5");
      assertThat(busy.body()).contains("overloaded");
      assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      assertThat(collector.post("/api/v1/telemetry", hosts(1, 4)).statusCode()).isEqualTo(202);
    }
  }

  @Test
  @Timeout(120)
  void finishesASubmissionInFlightWhenStopped() throws Exception {
    TestCollector collector = new TestCollector();
    CompletableFuture<HttpResponse<String>> inFlight;
    CompletableFuture<Void> stopping;
    try (LockedTable locked = new LockedTable(collector.database)) {
      inFlight = collector.postAsync("/api/v1/telemetry", hosts(2000, 5));
      await().atMost(Duration.ofSeconds(30)).until(() -> locked.waiting() == 1);

      stopping = CompletableFuture.runAsync(collector::close);
      Thread.sleep(300);
      assertThat(stopping).as("stop waits for the submission").isNotDone();
    }
    assertThat(inFlight.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    stopping.get(60, TimeUnit.SECONDS);
    assertThat(collector.rows()).as("committed before the answer").isEqualTo(2000);
  }

  private static byte[] hosts(int count, int seed) {
    return TestTelemetry.hostsEnvelopeJson(count, seed).getBytes(StandardCharsets.UTF_8);
  }
}
