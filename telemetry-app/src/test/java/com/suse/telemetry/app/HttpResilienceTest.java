package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP API under a store outage, overload and shutdown. */
class HttpResilienceTest {

  /**
   * A body that sends its first half, then waits for {@code release} before the rest. Make it large
   * (hundreds of KiB): the client sends nothing until its buffer fills, and the server starts
   * handling a request only once some of the body arrived.
   */
  private static HttpRequest.BodyPublisher heldBody(byte[] body, CountDownLatch release) {
    int half = body.length / 2;
    return HttpRequest.BodyPublishers.ofInputStream(
        () ->
            new SequenceInputStream(
                new ByteArrayInputStream(body, 0, half),
                new InputStream() {
                  private final InputStream rest =
                      new ByteArrayInputStream(body, half, body.length - half);

                  @Override
                  public int read() throws IOException {
                    try {
                      release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      throw new IOException(e);
                    }
                    return rest.read();
                  }
                }));
  }

  private static CompletableFuture<HttpResponse<String>> postHeld(
      TestCollector collector, byte[] body, CountDownLatch release) {
    return TestCollector.HTTP.sendAsync(
        HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(heldBody(body, release))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

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
    try (TestCollector collector = new TestCollector(oneAtATime)) {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<HttpResponse<String>> held =
          postHeld(
              collector,
              TestTelemetry.hostsEnvelopeJson(2000, 3).getBytes(StandardCharsets.UTF_8),
              release);
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
      release.countDown();
      assertThat(held.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }
  }

  @Test
  @Timeout(120)
  void finishesASubmissionInFlightWhenStopped() throws Exception {
    TestCollector collector = new TestCollector();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> inFlight =
        postHeld(
            collector,
            TestTelemetry.hostsEnvelopeJson(2000, 5).getBytes(StandardCharsets.UTF_8),
            release);
    Thread.sleep(300);

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(collector::close);
    Thread.sleep(300);
    assertThat(stopping).as("stop waits for the submission").isNotDone();
    release.countDown();

    HttpResponse<String> answer = inFlight.get(60, TimeUnit.SECONDS);
    stopping.get(60, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(202);
    try (Connection connection = collector.database.connect();
        ResultSet rows =
            connection.createStatement().executeQuery("SELECT count(*) FROM telemetry")) {
      rows.next();
      assertThat(rows.getLong(1)).as("committed before the answer").isEqualTo(2000);
    }
  }
}
