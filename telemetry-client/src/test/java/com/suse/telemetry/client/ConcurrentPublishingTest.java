package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.client.ScriptedCollector.Arrival;
import com.suse.telemetry.client.ScriptedCollector.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads share one publisher, against a collector that turns some requests away. */
class ConcurrentPublishingTest {

  private static final int THREADS = 16;
  private static final int EACH = 25;

  private final ScriptedCollector collector = ScriptedCollector.start();
  private final AtomicInteger requests = new AtomicInteger();

  @TempDir Path spool;

  @AfterEach
  void stopCollector() {
    collector.close();
  }

  /** Every third request is turned away with a 503, every fifth dropped; the rest accepted. */
  private Reply unreliably(byte[] envelope) {
    int request = requests.incrementAndGet();
    if (request % 3 == 0) {
      return Reply.status(503).header("Retry-After", "0");
    }
    if (request % 5 == 0) {
      return Reply.drop();
    }
    return collector.accept(envelope);
  }

  @Test
  void everyEnvelopeFromManyThreadsArrivesWithItsOneIdAndIsAcknowledged() throws Exception {
    collector.otherwise(this::unreliably);
    List<PublishResult> results = new ArrayList<>();
    try (TelemetryPublisher publisher =
        TelemetryPublisher.builder(collector.uri())
            .registry(Payloads.REGISTRY)
            .retryPolicy(
                new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMinutes(1)))
            .spoolDirectory(spool)
            .build()) {
      ExecutorService sources = Executors.newFixedThreadPool(THREADS);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<PublishResult>>> published = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        published.add(
            sources.submit(
                () -> {
                  start.await();
                  List<PublishResult> mine = new ArrayList<>();
                  for (int i = 0; i < EACH; i++) {
                    mine.add(publisher.publish("sles", "system_profile", 1, Payloads.profile()));
                  }
                  return mine;
                }));
      }
      start.countDown();
      for (Future<List<PublishResult>> thread : published) {
        results.addAll(thread.get());
      }
      sources.shutdown();
      assertThat(publisher.spoolStatus().envelopes()).isZero();
    }

    assertThat(results).allSatisfy(r -> assertThat(r.isAccepted()).as(r.toString()).isTrue());
    Set<UUID> ids =
        results.stream().map(r -> r.envelopeId().orElseThrow()).collect(Collectors.toSet());
    assertThat(ids).hasSize(THREADS * EACH);
    assertThat(collector.storedIds()).isEqualTo(ids);
    // Stored once each; an attempt whose 202 was lost makes the next one a duplicate, which is
    // still the envelope delivered (a spooled copy may be resent meanwhile, too).
    assertThat(results)
        .allSatisfy(r -> assertThat(r.accepted() + r.duplicates()).as(r.toString()).isEqualTo(1));
    assertOneEnvelopePerId();
  }

  @Test
  void asynchronousPublishesAtOnceKeepToTheRequestBound() {
    collector.otherwise(envelope -> collector.accept(envelope).after(Duration.ofMillis(5)));
    List<CompletableFuture<PublishResult>> results = new ArrayList<>();
    try (TelemetryPublisher publisher =
        TelemetryPublisher.builder(collector.uri())
            .registry(Payloads.REGISTRY)
            .maxConcurrentRequests(2)
            .build()) {
      for (int i = 0; i < 100; i++) {
        results.add(publisher.publishAsync("sles", "system_profile", 1, Payloads.profile()));
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture<?>[]::new)).join();
    }

    assertThat(results).allSatisfy(r -> assertThat(r.join().isAccepted()).isTrue());
    assertThat(collector.storedIds()).hasSize(100);
    assertThat(collector.mostHandledAtOnce()).isBetween(1, 2);
  }

  /** Retries of an envelope carry its one id and the very same bytes. */
  private void assertOneEnvelopePerId() {
    List<Arrival> arrivals = collector.arrivals();
    assertThat(arrivals).hasSizeGreaterThan(THREADS * EACH);
    Map<UUID, List<Arrival>> byId = arrivals.stream().collect(Collectors.groupingBy(Arrival::id));
    assertThat(byId.values())
        .allSatisfy(
            same -> {
              assertThat(same).extracting(Arrival::status).contains(202);
              assertThat(same)
                  .extracting(a -> new String(a.body(), StandardCharsets.ISO_8859_1))
                  .containsOnly(new String(same.get(0).body(), StandardCharsets.ISO_8859_1));
            });
  }
}
