package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.testkit.TestOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays queue stored records again for a sink, in chunks, and resume where they stopped. */
class PostgresReplayTest {

  private static final Instant START = Instant.parse("2025-03-01T00:00:00Z");
  private static MigratedDatabase database;
  private PostgresOutbox outbox;
  private PostgresReplay replay;
  private final List<PostgresReplay.Progress> heard = new ArrayList<>();

  @BeforeAll
  static void createDatabase() {
    database = new MigratedDatabase();
  }

  @AfterAll
  static void close() {
    database.close();
  }

  /** Forty host records an hour apart from {@link #START}, and ten system profiles; no sink yet. */
  @BeforeEach
  void storeRecordsWhileNoSinkIsEnabled() {
    database.truncate();
    database.sinks();
    Random random = new Random(7);
    List<TelemetryRecord> records = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      records.add(TimedRecords.at(START.plusSeconds(3600L * i), random));
    }
    TelemetryTypeId profiles = new TelemetryTypeId("sles", "system_profile", 1);
    for (int i = 0; i < 10; i++) {
      TelemetryRecord host = TimedRecords.at(START.plusSeconds(3600L * i + 60), random);
      records.add(
          new TelemetryRecord(profiles, host.time(), host.receivedAt(), host.identity(), "{}"));
    }
    PostgresTelemetryStore.create(database.dataSource).store(Submission.of(records));
    database.sinks("influxdb");
    outbox = PostgresOutbox.create(database.dataSource);
    replay = PostgresReplay.create(database.dataSource, 7);
  }

  private PostgresReplay.Range hours(int from, int to) {
    return PostgresReplay.Range.of(
        "influxdb", START.plusSeconds(3600L * from), START.plusSeconds(3600L * to));
  }

  @Test
  void queuesTheRecordsOfTheRangeInChunks() {
    assertThat(outbox.lag("influxdb").pending()).as("stored before the sink").isZero();

    PostgresReplay.Progress done = replay.run(hours(5, 25), heard::add, () -> true);

    // Hosts of hours 5 to 24, and the profiles of hours 5 to 9.
    assertThat(done).isEqualTo(new PostgresReplay.Progress(25, 25, 25, false, true));
    assertThat(heard)
        .extracting(PostgresReplay.Progress::walked)
        .containsExactly(0L, 7L, 14L, 21L, 25L);
    List<TelemetryRecord> delivered = TestOutbox.drain(outbox, "influxdb");
    assertThat(delivered)
        .hasSize(25)
        .allSatisfy(
            record ->
                assertThat(record.time())
                    .isBetween(START.plusSeconds(3600 * 5), START.plusSeconds(3600 * 25 - 1)));
  }

  @Test
  void queuesOneTypeOnlyWhenAsked() {
    replay.run(hours(0, 40).ofType("sles", "system_profile"), heard::add, () -> true);

    assertThat(TestOutbox.drain(outbox, "influxdb"))
        .hasSize(10)
        .allSatisfy(record -> assertThat(record.type().application()).isEqualTo("sles"));
  }

  @Test
  void resumesAnInterruptedReplayWhereItStoppedAndStartsAFinishedOneOver() {
    AtomicInteger chunks = new AtomicInteger();

    PostgresReplay.Progress interrupted =
        replay.run(hours(0, 40), heard::add, () -> chunks.incrementAndGet() <= 2);
    assertThat(interrupted.finished()).isFalse();
    assertThat(interrupted.walked()).isEqualTo(14);

    PostgresReplay.Progress resumed = replay.run(hours(0, 40), heard::add, () -> true);
    assertThat(resumed).isEqualTo(new PostgresReplay.Progress(50, 50, 50, true, true));
    assertThat(outbox.lag("influxdb").pending()).as("each record queued once").isEqualTo(50);

    PostgresReplay.Progress again = replay.run(hours(0, 40), heard::add, () -> true);
    assertThat(again)
        .as("started over; nothing new to queue while all wait")
        .isEqualTo(new PostgresReplay.Progress(50, 50, 0, false, true));
  }

  @Test
  void runsOneReplayOfARangeAtATime() {
    replay.run(
        hours(0, 10),
        progress -> {
          if (progress.walked() == 0) {
            // As another process would: on a connection of its own.
            assertThatThrownBy(
                    () ->
                        CompletableFuture.runAsync(
                                () -> replay.run(hours(0, 10), p -> {}, () -> true))
                            .join())
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is running");
          }
        },
        () -> true);

    assertThat(outbox.lag("influxdb").pending()).isEqualTo(20);
  }

  @Test
  void refusesAnEmptyRange() {
    assertThatThrownBy(() -> hours(3, 3)).hasMessageContaining("must be before");
    assertThatThrownBy(() -> hours(0, 3).ofType("sles", "System"))
        .hasMessageContaining("lower-case snake case");
  }
}
