package com.suse.telemetry.core.quarantine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.memory.InMemoryQuarantine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuarantineWriterTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final List<Violation> UNKNOWN_PROPERTY =
      List.of(new Violation("/payload/secure_boot", "is not a known property here"));

  private final InMemoryQuarantine quarantine = InMemoryQuarantine.create();

  private static QuarantineSettings settings(long maxBytes) {
    return new QuarantineSettings(true, maxBytes, Duration.ofDays(30), 16, 1L << 20);
  }

  private static RejectedSubmission envelope(String body, Instant at) {
    return new RejectedSubmission(
        SubmissionRoute.ENVELOPE,
        "application/json",
        body.getBytes(StandardCharsets.UTF_8),
        UNKNOWN_PROPERTY,
        at);
  }

  private static String profile(int n) {
    return "{\"application\":\"sles\",\"telemetry_type\":\"system_profile\","
        + "\"time\":\"2025-03-01T12:00:00Z\",\"payload\":{\"n\":"
        + n
        + "}}";
  }

  private static void awaitWritten(QuarantineWriter writer) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> writer.kept() + writer.repeats() + writer.missed() == writer.offered());
  }

  @Test
  void keepsARejectedBodyWithItsFactsOnceAndCountsItsRepeats() {
    try (QuarantineWriter writer = QuarantineWriter.start(quarantine, settings(1L << 20))) {
      writer.offer(envelope(profile(1), NOW));
      writer.offer(envelope(profile(1), NOW.plusSeconds(60)));
      awaitWritten(writer);

      assertThat(writer.kept()).isEqualTo(1);
      assertThat(writer.repeats()).isEqualTo(1);
      assertThat(writer.missed()).isZero();
      QuarantinedSubmission entry = quarantine.page(QuarantineFilter.all(), 0, 10).get(0);
      assertThat(entry.bodyText()).isEqualTo(profile(1));
      assertThat(entry.violations()).isEqualTo(UNKNOWN_PROPERTY);
      assertThat(entry.claimedType()).isEqualTo("sles/system_profile v1");
      assertThat(entry.route()).isEqualTo(SubmissionRoute.ENVELOPE);
      assertThat(entry.timesReceived()).isEqualTo(2);
      assertThat(entry.firstReceived()).isEqualTo(NOW);
      assertThat(entry.lastReceived()).isEqualTo(NOW.plusSeconds(60));
      assertThat(entry.fingerprint()).hasSize(64);
      assertThat(quarantine.groups(10))
          .singleElement()
          .satisfies(
              group -> {
                assertThat(group.claimedType()).isEqualTo("sles/system_profile");
                assertThat(group.firstViolation())
                    .isEqualTo("/payload/secure_boot: is not a known property here");
                assertThat(group.timesReceived()).isEqualTo(2);
              });
    }
  }

  @Test
  void staysWithinItsCapDroppingWhatWasReceivedLongestAgo() {
    long size = QuarantineEntries.of(envelope(profile(100), NOW), 16).size();
    try (QuarantineWriter writer = QuarantineWriter.start(quarantine, settings(10 * size))) {
      for (int i = 0; i < 50; i++) {
        writer.offer(envelope(profile(100 + i), NOW.plusSeconds(i)));
      }
      awaitWritten(writer);

      assertThat(quarantine.usage().bytes()).isLessThanOrEqualTo(10 * size);
      assertThat(writer.bytes()).isEqualTo(quarantine.usage().bytes());
      assertThat(writer.droppedForSize()).isEqualTo(50 - quarantine.usage().entries());
      List<String> kept =
          quarantine.page(QuarantineFilter.all(), 0, 100).stream()
              .map(QuarantinedSubmission::bodyText)
              .toList();
      assertThat(kept).contains(profile(149)).doesNotContain(profile(100));
    }
  }

  @Test
  void countsWhatItCouldNotKeepWhileTheQuarantineIsUnreachable() {
    quarantine.setAvailable(false);
    try (QuarantineWriter writer = QuarantineWriter.start(quarantine, settings(1L << 20))) {
      for (int i = 0; i < 5; i++) {
        assertThat(writer.offer(envelope(profile(i), NOW))).isTrue();
      }
      awaitWritten(writer);
      assertThat(writer.missed()).isEqualTo(5);

      quarantine.setAvailable(true);
      writer.offer(envelope(profile(9), NOW));
      awaitWritten(writer);
      assertThat(writer.kept()).isEqualTo(1);
    }
  }

  @Test
  void turnsAwayWhatExceedsItsBufferWithoutWaiting() {
    QuarantineSettings small = new QuarantineSettings(true, 1L << 20, Duration.ofDays(1), 16, 100);
    quarantine.setAvailable(false);
    try (QuarantineWriter writer = QuarantineWriter.start(quarantine, small)) {
      assertThat(writer.offer(envelope("x".repeat(101), NOW))).isFalse();
      assertThat(writer.missed()).isEqualTo(1);
    }
  }

  @Test
  void keepsOnlyTheBeginningOfABodyThatIsNotJson() {
    try (QuarantineWriter writer = QuarantineWriter.start(quarantine, settings(1L << 20))) {
      String malformed = "{\"application\": \"sles\", this is not JSON";
      writer.offer(envelope(malformed, NOW));
      awaitWritten(writer);

      QuarantinedSubmission entry = quarantine.page(QuarantineFilter.all(), 0, 10).get(0);
      assertThat(entry.body()).hasSize(16);
      assertThat(entry.isTruncated()).isTrue();
      assertThat(entry.receivedSize()).isEqualTo(malformed.length());
      assertThat(entry.claimedType()).isEqualTo("unknown");
    }
  }

  @Test
  void dropsEntriesPastTheRetentionPeriod() {
    MovableClock clock = new MovableClock(NOW);
    try (QuarantineWriter writer = QuarantineWriter.start(quarantine, settings(1L << 20), clock)) {
      writer.offer(envelope(profile(1), NOW));
      writer.offer(envelope(profile(2), NOW.plus(Duration.ofDays(20))));
      awaitWritten(writer);

      clock.now = NOW.plus(Duration.ofDays(31));
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.droppedForAge() == 1);
      assertThat(quarantine.usage().entries()).isEqualTo(1);
      assertThat(writer.entries()).isEqualTo(1);
    }
  }

  /** A clock a test moves. */
  private static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
