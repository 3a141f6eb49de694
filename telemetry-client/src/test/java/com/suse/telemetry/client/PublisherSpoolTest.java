package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.client.PublishResult.Outcome;
import com.suse.telemetry.client.ScriptedCollector.Arrival;
import com.suse.telemetry.client.ScriptedCollector.Reply;
import com.suse.telemetry.core.TelemetryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher with a spool directory, against a scripted collector over real HTTP. */
class PublisherSpoolTest {

  private static final RetryPolicy QUICK =
      new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(30));

  private final ScriptedCollector collector = ScriptedCollector.start();

  @TempDir Path spool;

  @AfterEach
  void stopCollector() {
    collector.close();
  }

  private TelemetryPublisher.Builder publisher() {
    return TelemetryPublisher.builder(collector.uri())
        .registry(Payloads.REGISTRY)
        .retryPolicy(QUICK)
        .spoolDirectory(spool);
  }

  /** A publisher that would wait out a long Retry-After, but closes at once. */
  private TelemetryPublisher.Builder patient() {
    return publisher()
        .retryPolicy(QUICK.withTimeBudget(Duration.ofMinutes(10)))
        .closeTimeout(Duration.ZERO);
  }

  /** Publishes {@code count} envelopes that the collector turns away; returns their ids. */
  private List<UUID> leaveUnacknowledged(int count) {
    collector.otherwise(envelope -> Reply.status(503).header("Retry-After", "60"));
    List<CompletableFuture<PublishResult>> results = new ArrayList<>();
    try (TelemetryPublisher publisher = patient().build()) {
      for (int i = 0; i < count; i++) {
        results.add(publisher.publishAsync("sles", "system_profile", 1, Payloads.profile()));
      }
      assertThat(publisher.spoolStatus().envelopes()).isEqualTo(count);
      // Each is turned away once before the publisher closes, however slow the machine.
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.arrivals().size() >= count);
    }
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.join().outcome()).isEqualTo(Outcome.SPOOLED);
              assertThat(r.join().detail()).contains("closed");
            });
    return results.stream().map(r -> r.join().envelopeId().orElseThrow()).toList();
  }

  /** Opens a publisher on the spool, with the collector accepting, and lets it send all. */
  private List<UUID> sendWhatIsSpooled() {
    // Answered a little late, so that none is acknowledged before resendSpooled() below lists
    // them: the publisher starts sending them as it opens.
    collector.otherwise(envelope -> collector.accept(envelope).after(Duration.ofMillis(300)));
    try (TelemetryPublisher publisher = publisher().build()) {
      List<PublishResult> results = publisher.resendSpooled().join();
      assertThat(results).allSatisfy(r -> assertThat(r.isAccepted()).as(r.toString()).isTrue());
      assertThat(publisher.spoolStatus().envelopes()).isZero();
      return results.stream().map(r -> r.envelopeId().orElseThrow()).toList();
    }
  }

  @Test
  void theNextPublisherSendsWhatAClosedOneLeftWithTheSameIdsAndBytes() {
    List<UUID> left = leaveUnacknowledged(3);

    List<UUID> sent = sendWhatIsSpooled();

    assertThat(sent).containsExactlyElementsOf(left);
    assertThat(collector.storedIds()).containsExactlyInAnyOrderElementsOf(left);
    Map<UUID, List<Arrival>> byId =
        collector.arrivals().stream().collect(Collectors.groupingBy(Arrival::id));
    assertThat(byId.values())
        .allSatisfy(
            arrivals -> {
              assertThat(arrivals).extracting(Arrival::status).containsExactly(503, 202);
              assertThat(arrivals.get(1).body()).isEqualTo(arrivals.get(0).body());
            });
  }

  @Test
  void theNextPublisherSendsWhatAKilledProcessLeftWithTheSameIds() throws Exception {
    collector.otherwise(envelope -> Reply.status(503).header("Retry-After", "60"));
    Process source =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SpoolingSource.class.getName(),
                collector.uri().toString(),
                spool.toString(),
                "5")
            .redirectErrorStream(true)
            .start();
    List<UUID> seen;
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(source.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = output.readLine();
      } while (line != null && !line.equals("spooled 5"));
      assertThat(line).as("the source's output").isEqualTo("spooled 5");
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.arrivals().size() == 5);
      seen = collector.arrivals().stream().map(Arrival::id).toList();
      // The lock holds across processes too.
      assertThatThrownBy(() -> publisher().build())
          .isInstanceOf(TelemetryException.class)
          .hasMessageContaining("in use by another publisher");
    } finally {
      source.destroyForcibly(); // SIGKILL: no shutdown hook, no close().
      assertThat(source.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    List<UUID> sent = sendWhatIsSpooled();

    assertThat(sent).containsExactlyInAnyOrderElementsOf(seen);
    assertThat(collector.storedIds()).containsExactlyInAnyOrderElementsOf(seen);
  }

  @Test
  void aTornTailIsSkippedAndEverythingBeforeItIsSent() throws IOException {
    List<UUID> left = leaveUnacknowledged(3);
    Path segment = lastSegmentWithEnvelopes();
    try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      file.truncate(file.size() - 7); // The last envelope's write, cut off by a crash.
    }

    List<UUID> sent = sendWhatIsSpooled();

    assertThat(sent).containsExactlyElementsOf(left.subList(0, 2));
  }

  @Test
  void theSizeBoundDropsTheOldestAndCountsThem() {
    collector.otherwise(envelope -> Reply.status(503).header("Retry-After", "60"));
    long bound = 4000;
    List<CompletableFuture<PublishResult>> results = new ArrayList<>();
    SpoolStatus status;
    try (TelemetryPublisher publisher = patient().maxSpoolBytes(bound).build()) {
      for (int i = 0; i < 12; i++) {
        results.add(publisher.publishAsync("sles", "system_profile", 1, Payloads.profile(8)));
      }
      status = publisher.spoolStatus();
    }

    assertThat(status.bytes()).isLessThanOrEqualTo(bound);
    assertThat(status.droppedEnvelopes()).isPositive();
    assertThat(status.envelopes() + status.droppedEnvelopes()).isEqualTo(12);
    List<PublishResult> outcomes = results.stream().map(CompletableFuture::join).toList();
    int kept = status.envelopes();
    assertThat(outcomes.subList(0, 12 - kept))
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.FAILED));
    assertThat(outcomes.subList(12 - kept, 12))
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.SPOOLED));
    assertThat(sendWhatIsSpooled())
        .containsExactlyElementsOf(
            outcomes.subList(12 - kept, 12).stream()
                .map(r -> r.envelopeId().orElseThrow())
                .toList());
  }

  @Test
  void anEnvelopeOutOfTimeStaysSpooledAndGoesOnceTheCollectorAcceptsAnother() {
    collector.otherwise(envelope -> Reply.status(503));
    try (TelemetryPublisher publisher =
        publisher().retryPolicy(QUICK.withTimeBudget(Duration.ofMillis(300))).build()) {
      PublishResult late = publisher.publish("sles", "system_profile", 1, Payloads.profile());
      assertThat(late.outcome()).isEqualTo(Outcome.SPOOLED);
      assertThat(late.detail()).contains("kept in the spool");

      collector.otherwise(collector::accept);
      assertThat(publisher.publish("sles", "system_profile", 1, Payloads.profile()).isAccepted())
          .isTrue();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> collector.storedIds().contains(late.envelopeId().orElseThrow()));
      await().atMost(Duration.ofSeconds(30)).until(() -> publisher.spoolStatus().envelopes() == 0);
    }
  }

  @Test
  void whatIsAcknowledgedRefusedOrInvalidLeavesNothingInTheSpool() {
    collector.script(
        collector::accept, envelope -> Reply.problem(400, "/payload/arch", "not on sale"));
    try (TelemetryPublisher publisher = publisher().build()) {
      assertThat(publisher.publish("sles", "system_profile", 1, Payloads.profile()).outcome())
          .isEqualTo(Outcome.ACCEPTED);
      assertThat(publisher.publish("sles", "system_profile", 1, Payloads.profile()).outcome())
          .isEqualTo(Outcome.REFUSED);
      assertThat(publisher.publish("sles", "system_profile", 1, "{}").outcome())
          .isEqualTo(Outcome.INVALID);
      assertThat(publisher.spoolStatus().envelopes()).isZero();
    }
    assertThat(collector.arrivals()).hasSize(2);
    try (TelemetryPublisher publisher = publisher().build()) {
      assertThat(publisher.resendSpooled().join()).isEmpty();
    }
  }

  @Test
  void onlyOnePublisherOwnsASpoolDirectoryAtATime() {
    TelemetryPublisher owner = publisher().build();
    assertThatThrownBy(() -> publisher().build())
        .isInstanceOf(TelemetryException.class)
        .hasMessageContaining("in use by another publisher");
    owner.close();
    publisher().build().close();
  }

  private Path lastSegmentWithEnvelopes() throws IOException {
    try (Stream<Path> files = Files.list(spool)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".spool"))
          .filter(f -> f.toFile().length() > 8)
          .max(Path::compareTo)
          .orElseThrow();
    }
  }
}
