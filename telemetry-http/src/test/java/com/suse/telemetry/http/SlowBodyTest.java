package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.TestTelemetry;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clients that send their bodies slowly, or not at all, cannot stop anyone else. */
class SlowBodyTest {

  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @Test
  @Timeout(120)
  void manySlowBodiesAreCutOffWhileEveryoneElseIsServed() throws Exception {
    // More slow clients than places in flight (64) and than server threads (250).
    int slowClients = 300;
    try (TestServer server =
        new TestServer(
            values ->
                values
                    .with(HttpSettings.BODY_TIMEOUT, DEADLINE)
                    .with(HttpSettings.CLIENT_RATE, 0))) {
      List<RawRequest> slow = new ArrayList<>();
      long opened = System.nanoTime();
      for (int i = 0; i < slowClients; i++) {
        slow.add(new RawRequest(server.port(), "/api/v1/telemetry", 1000));
      }
      ExecutorService threads = Executors.newFixedThreadPool(5);
      try {
        // One byte a second from each slow client: far below the minimum rate.
        Future<?> dribbling =
            threads.submit(
                () -> {
                  long end = System.nanoTime() + DEADLINE.plusSeconds(3).toNanos();
                  while (System.nanoTime() < end) {
                    slow.forEach(request -> request.send(new byte[] {' '}));
                    sleep(Duration.ofSeconds(1));
                  }
                });
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        List<Future<?>> polite = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
          int seed = client;
          polite.add(
              threads.submit(
                  () -> {
                    long end = System.nanoTime() + DEADLINE.plusSeconds(3).toNanos();
                    for (int i = 0; System.nanoTime() < end; i++) {
                      HttpResponse<String> answer =
                          server.post(
                              "/api/v1/telemetry",
                              TestTelemetry.hostsEnvelopeJson(3, seed * 100_000L + i)
                                  .getBytes(StandardCharsets.UTF_8));
                      sent.incrementAndGet();
                      if (answer.statusCode() == 202) {
                        accepted.incrementAndGet();
                      }
                    }
                  }));
        }
        for (Future<?> client : polite) {
          client.get();
        }
        dribbling.get();

        assertThat(sent.get()).isGreaterThan(100);
        assertThat(accepted.get())
            .as("of %d sent", sent.get())
            .isGreaterThanOrEqualTo((int) Math.ceil(sent.get() * 0.99));
      } finally {
        threads.shutdownNow();
      }
      // Every slow client was answered 408 or cut off by now, within the deadline and the check's
      // granularity: none of them is still waiting.
      assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(DEADLINE.plusSeconds(30));
      for (RawRequest request : slow) {
        assertThat(request.statusWithin(Duration.ofMillis(200))).isIn(408, -1);
        request.close();
      }
      assertThat(server.memory.records()).isNotEmpty();
    }
  }

  @Test
  @Timeout(60)
  void aBodyThatKeepsTheMinimumRateIsStillCutOffAtTheDeadline() throws Exception {
    try (TestServer server =
            new TestServer(values -> values.with(HttpSettings.BODY_TIMEOUT, DEADLINE));
        RawRequest request = new RawRequest(server.port(), "/api/v1/telemetry", 1 << 20)) {
      long start = System.nanoTime();
      // 8 KiB a second: above the minimum of 1 KiB, far too slow to send 1 MiB in 5 s.
      while (request.send(new byte[2048]) && System.nanoTime() - start < 20e9) {
        sleep(Duration.ofMillis(250));
        if (request.answered()) {
          break;
        }
      }
      int status = request.status();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(status).isIn(408, -1);
      assertThat(took).isBetween(DEADLINE.minusMillis(100), DEADLINE.plusSeconds(3));
    }
  }

  @Test
  @Timeout(60)
  void aStalledBodyIsAnswered408WithItsReason() throws Exception {
    try (TestServer server = new TestServer();
        RawRequest request = new RawRequest(server.port(), "/api/v1/telemetry", 100)) {
      request.send("{\"appl".getBytes(StandardCharsets.US_ASCII));
      long start = System.nanoTime();

      int status = request.status();

      assertThat(status).isEqualTo(408);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("cut off once the grace is over, well before the 20 s deadline")
          .isLessThan(HttpSettings.BodyLimits.RATE_GRACE.plusSeconds(3));
      assertThat(request.rest()).contains("\"status\":408").contains("slower than 1024 bytes");
    }
  }

  @Test
  @Timeout(120)
  void thousandsOfIdleConnectionsCostNoThreadAndPingStillAnswers() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try (TestServer server = new TestServer()) {
      for (int i = 0; i < 2000; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        if (i % 2 == 0) {
          // Half of them kept alive after a request, half never sending a byte.
          socket
              .getOutputStream()
              .write(
                  "GET /api/ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        idle.add(socket);
      }
      long start = System.nanoTime();
      HttpResponse<String> ping = server.get("/api/ping");

      assertThat(ping.body()).isEqualTo("pong");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(
              server
                  .post(
                      "/api/v1/telemetry",
                      TestTelemetry.hostsEnvelopeJson(1, 7).getBytes(StandardCharsets.UTF_8))
                  .statusCode())
          .isEqualTo(202);
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
