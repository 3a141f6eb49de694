package com.suse.telemetry.app;

import static com.suse.telemetry.app.StoredRecords.assertEachStoredOnce;
import static com.suse.telemetry.app.StoredRecords.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.client.PublishResult;
import com.suse.telemetry.client.RetryPolicy;
import com.suse.telemetry.client.TelemetryPublisher;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publishing library against the real collector, run as a process: killed and restarted,
 * answering 503 while PostgreSQL is stopped, 429 to a client over its share, and a publishing
 * process killed with envelopes in its spool. Every published record ends up in PostgreSQL exactly
 * once.
 */
class PublisherAgainstCollectorIT {

  private static final RetryPolicy QUICK =
      new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(2));

  @TempDir Path directory;

  private static TelemetryPublisher publisher(int port) {
    return TelemetryPublisher.builder(URI.create("http://127.0.0.1:" + port))
        .retryPolicy(QUICK)
        .build();
  }

  /** Publishes one envelope every 40 ms, from seed 0, until {@code publishing} turns false. */
  private static Thread publishSteadily(
      TelemetryPublisher publisher,
      AtomicBoolean publishing,
      List<CompletableFuture<PublishResult>> results) {
    Thread thread =
        new Thread(
            () -> {
              for (long seed = 0; publishing.get(); seed++) {
                results.add(publisher.publishEnvelopeAsync(envelope(seed)));
                try {
                  Thread.sleep(40);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "publishing");
    thread.start();
    return thread;
  }

  /** Every result is an acceptance, some after more than one attempt; returns their seeds. */
  private static List<Long> assertAllAcceptedSomeAfterRetries(
      List<CompletableFuture<PublishResult>> results) {
    List<PublishResult> outcomes =
        results.stream().map(r -> r.orTimeout(3, TimeUnit.MINUTES).join()).toList();
    assertThat(outcomes)
        .hasSizeGreaterThan(20)
        .allSatisfy(result -> assertThat(result.isAccepted()).as(result.toString()).isTrue())
        .anySatisfy(result -> assertThat(result.attempts()).isGreaterThan(1));
    return LongStream.range(0, outcomes.size()).boxed().toList();
  }

  @Test
  @Timeout(300)
  void everyRecordIsStoredOnceThroughACollectorKilledAndRestarted() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    Map<String, String> settings = new HashMap<>(CollectorProcess.on(database));
    settings.put("TELEMETRY_CLIENT_RATE", "0");
    int port = TestServices.freePort();
    Path log = directory.resolve("collector.log");
    CollectorProcess collector = CollectorProcess.serve(port, settings, log);
    List<CompletableFuture<PublishResult>> results = new ArrayList<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    try (TelemetryPublisher publisher = publisher(port)) {
      Thread thread = publishSteadily(publisher, publishing, results);
      for (int kill = 0; kill < 2; kill++) {
        Thread.sleep(1000);
        collector.kill();
        collector = CollectorProcess.serve(port, settings, log);
      }
      Thread.sleep(1000);
      publishing.set(false);
      thread.join();

      assertEachStoredOnce(database, assertAllAcceptedSomeAfterRetries(results));
    } finally {
      collector.close();
    }
  }

  @Test
  @Timeout(300)
  void everyRecordIsStoredOnceThroughA503WhilePostgresIsStopped() throws Exception {
    try (TestPostgres.DedicatedServer postgres = TestPostgres.startDedicated()) {
      TestPostgres.Database database = postgres.newDatabase();
      Map<String, String> settings = new HashMap<>(CollectorProcess.on(database));
      settings.put("TELEMETRY_RETRY_AFTER", "1s");
      settings.put("TELEMETRY_CLIENT_RATE", "0");
      List<CompletableFuture<PublishResult>> results = new ArrayList<>();
      AtomicBoolean publishing = new AtomicBoolean(true);
      try (CollectorProcess collector =
              CollectorProcess.serve(settings, directory.resolve("collector.log"));
          TelemetryPublisher publisher = publisher(collector.port)) {
        Thread thread = publishSteadily(publisher, publishing, results);
        Thread.sleep(1000);
        postgres.stop();
        // Valid, so that it reaches the store: nothing can be committed now.
        HttpResponse<String> refused =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(
                    () -> collector.post("/api/v1/telemetry", envelope(1_000_000)),
                    answer -> answer.statusCode() == 503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        Thread.sleep(2000);
        postgres.start();
        Thread.sleep(1000);
        publishing.set(false);
        thread.join();

        assertEachStoredOnce(database, assertAllAcceptedSomeAfterRetries(results));
      }
    }
  }

  @Test
  @Timeout(300)
  void everyRecordIsStoredOnceThroughA429ToAClientOverItsShare() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    Map<String, String> settings = new HashMap<>(CollectorProcess.on(database));
    settings.put("TELEMETRY_CLIENT_RATE", "5");
    settings.put("TELEMETRY_CLIENT_BURST", "5");
    try (CollectorProcess collector =
        CollectorProcess.serve(settings, directory.resolve("collector.log"))) {
      // Over its share, a client is refused before its body is read: these store nothing. Sent
      // at once, so that a slow machine cannot spread them within the share.
      List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        probes.add(
            CollectorProcess.HTTP.sendAsync(
                HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      assertThat(probes.stream().map(CompletableFuture::join).toList())
          .anySatisfy(
              answer -> {
                assertThat(answer.statusCode()).isEqualTo(429);
                assertThat(answer.headers().firstValue("Retry-After")).isPresent();
              });

      List<CompletableFuture<PublishResult>> results = new ArrayList<>();
      try (TelemetryPublisher publisher = publisher(collector.port)) {
        for (long seed = 0; seed < 30; seed++) {
          results.add(publisher.publishEnvelopeAsync(envelope(seed)));
        }
        assertEachStoredOnce(database, assertAllAcceptedSomeAfterRetries(results));
      }
    }
  }

  @Test
  @Timeout(300)
  void theSpoolCarriesEnvelopesAcrossAKilledPublishingProcess() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    int port = TestServices.freePort();
    Path spool = directory.resolve("spool");

    // Nothing listens yet: the first publishing process can only spool, and is killed.
    Process first = publishing(port, spool, 0, 20);
    try {
      assertThat(awaitLine(first, "spooled 20")).isTrue();
    } finally {
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (CollectorProcess collector =
        CollectorProcess.serve(
            port, CollectorProcess.on(database), directory.resolve("collector.log"))) {
      Process second = publishing(port, spool, 20, 10);
      try {
        assertThat(awaitLine(second, "delivered")).isTrue();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();
      } finally {
        second.destroyForcibly();
      }
      assertEachStoredOnce(database, LongStream.range(0, 30).boxed().toList());
      assertThat(collector.output()).doesNotContain("Rejected submission");
    }
  }

  /** A {@link SpoolingPublisher} process publishing {@code count} envelopes from {@code first}. */
  private static Process publishing(int port, Path spool, long first, int count)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            SpoolingPublisher.class.getName(),
            "http://127.0.0.1:" + port,
            spool.toString(),
            Long.toString(first),
            Integer.toString(count))
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the process's output until {@code expected}; false if it ended first. */
  private static boolean awaitLine(Process process, String expected) {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        if (line.equals(expected)) {
          return true;
        }
        System.out.println("publisher: " + line);
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
