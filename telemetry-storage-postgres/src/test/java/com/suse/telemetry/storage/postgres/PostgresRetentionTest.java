package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.testkit.TestOutbox;
import com.suse.telemetry.testkit.TestTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PostgresRetentionTest {

  private static MigratedDatabase database;
  private PostgresTelemetryStore store;
  private PostgresOutbox outbox;
  private PostgresPartitions partitions;
  private PostgresRetention retention;
  private final Random random = new Random(25);
  private YearMonth first;

  @BeforeAll
  static void createDatabase() {
    database = new MigratedDatabase();
  }

  @AfterAll
  static void close() {
    database.close();
  }

  /** An empty table with the twelve months from {@link #first} on, and more ahead. */
  @BeforeEach
  void emptyStoreWithAYearOfMonths() {
    database.truncate();
    database.sinks("influxdb");
    store = PostgresTelemetryStore.create(database.dataSource);
    outbox = PostgresOutbox.create(database.dataSource);
    partitions = PostgresPartitions.create(database.dataSource);
    retention = PostgresRetention.create(database.dataSource);
    first =
        TimedRecords.monthOf(
            partitions.partitions().stream()
                .filter(p -> !p.isBefore())
                .findFirst()
                .orElseThrow()
                .from());
    partitions.ensure(TelemetryPartition.start(first.plusMonths(11)));
  }

  private List<String> names() {
    return partitions.partitions().stream().map(TelemetryPartition::name).toList();
  }

  @Test
  void dropsTheMonthsEndingByTheCutoffAndThePartitionBelowThem() {
    Submission old =
        TestTelemetry.combined(
            Submission.of(List.of(TimedRecords.at(Instant.parse("2001-02-03T04:05:06Z"), random))),
            TimedRecords.inMonth(first, 4, random));
    store.store(old);
    store.store(TimedRecords.inMonth(first.plusMonths(1), 3, random));
    Submission kept = TimedRecords.inMonth(first.plusMonths(2), 2, random);
    store.store(kept);
    TestOutbox.deliver(
        outbox,
        "influxdb",
        100,
        records -> records.stream().map(r -> new TelemetrySink.Rejection(r, "refused")).toList());
    String firstMonth = TelemetryPartition.month(first).name();
    String secondMonth = TelemetryPartition.month(first.plusMonths(1)).name();

    RetentionResult result =
        retention.dropOlderThan(TelemetryPartition.start(first.plusMonths(2)).plusSeconds(60));

    assertThat(result.droppedPartitions())
        .containsExactly(
            new RetentionResult.DroppedPartition(TelemetryPartition.BEFORE, 1),
            new RetentionResult.DroppedPartition(firstMonth, 4),
            new RetentionResult.DroppedPartition(secondMonth, 3));
    assertThat(result.rows()).isEqualTo(8);
    assertThat(names()).doesNotContain(firstMonth, secondMonth).contains(TelemetryPartition.BEFORE);
    assertThat(PostgresTelemetryStoreContractTest.readBack(database.dataSource))
        .extracting(TelemetryRecord::identity)
        .containsExactlyInAnyOrderElementsOf(
            kept.records().stream().map(TelemetryRecord::identity).toList());
    assertThat(PostgresParkedRecords.create(database.dataSource).list(Optional.empty(), 100))
        .as("rejections of dropped records go")
        .hasSize(2);
    assertThat(store.store(old))
        .as("times of dropped months are still storable")
        .isEqualTo(new StoreResult(5, 0));
    assertThat(TimedRecords.rows(database.jdbi, TelemetryPartition.BEFORE)).isEqualTo(5);
    assertThat(retention.dropOlderThan(Instant.parse("2000-01-01T00:00:00Z")).rows()).isZero();
  }

  @Test
  void deletesTheOldRecordsOfThePartitionBelowTheMonths() {
    List<TelemetryRecord> records = new ArrayList<>();
    for (int year = 2001; year <= 2010; year++) {
      records.add(TimedRecords.at(Instant.parse(year + "-06-01T00:00:00Z"), random));
    }
    store.store(Submission.of(records));
    store.store(TestTelemetry.hosts(3, 5));

    RetentionResult result = retention.dropOlderThan(Instant.parse("2006-01-01T00:00:00Z"));

    assertThat(result.droppedPartitions()).isEmpty();
    assertThat(result.rowsDeleted()).isEqualTo(5);
    assertThat(PostgresTelemetryStoreContractTest.readBack(database.dataSource))
        .extracting(TelemetryRecord::time)
        .allMatch(time -> time.isAfter(Instant.parse("2006-01-01T00:00:00Z")))
        .hasSize(8);
  }

  @Test
  void forgetsEnvelopeIdsReceivedBeforeTheCutoff() {
    UUID old = UUID.randomUUID();
    store.store(TestTelemetry.hostsWithEnvelopeId(old, 2, 30));
    database.jdbi.useHandle(
        handle -> handle.execute("UPDATE envelope SET received_at = now() - interval '40 days'"));
    UUID recent = UUID.randomUUID();
    store.store(TestTelemetry.hostsWithEnvelopeId(recent, 2, 31));

    long forgotten =
        retention.forgetEnvelopesReceivedBefore(Instant.now().minus(Duration.ofDays(30)));

    assertThat(forgotten).isEqualTo(1);
    assertThat(store.store(TestTelemetry.hostsWithEnvelopeId(old, 2, 32)))
        .as("a forgotten id is new again")
        .isEqualTo(new StoreResult(2, 0));
    assertThat(store.store(TestTelemetry.hostsWithEnvelopeId(recent, 2, 33)))
        .isEqualTo(new StoreResult(0, 2));
  }

  @Test
  @Timeout(120)
  void ingestionGoesOnWhileMonthsAreDropped() throws Exception {
    for (int month = 0; month < 6; month++) {
      store.store(TimedRecords.inMonth(first.plusMonths(month), 2_000, random));
    }
    AtomicBoolean dropping = new AtomicBoolean(true);
    AtomicInteger stored = new AtomicInteger();
    List<Submission> written = new ArrayList<>();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              Random own = new Random(26);
              while (dropping.get() || stored.get() < 20) {
                Submission submission = TimedRecords.inMonth(first.plusMonths(8), 10, own);
                assertThat(store.store(submission)).isEqualTo(new StoreResult(10, 0));
                written.add(submission);
                stored.incrementAndGet();
              }
            });

    RetentionResult result;
    try {
      result = retention.dropOlderThan(TelemetryPartition.start(first.plusMonths(6)));
    } finally {
      dropping.set(false);
    }
    writer.get(60, TimeUnit.SECONDS);

    assertThat(result.droppedPartitions()).hasSize(7);
    assertThat(result.rows()).isEqualTo(12_000);
    assertThat(
            TimedRecords.rows(database.jdbi, TelemetryPartition.month(first.plusMonths(8)).name()))
        .isEqualTo(10L * written.size());
  }

  @Test
  @Timeout(120)
  void givesUpRatherThanQueueIngestionBehindALongQuery() throws Exception {
    store.store(TimedRecords.inMonth(first, 10, random));
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    CompletableFuture<Void> longQuery =
        CompletableFuture.runAsync(
            () -> {
              try {
                database.jdbi.useTransaction(
                    (Handle handle) -> {
                      handle.createQuery("SELECT count(*) FROM telemetry").mapTo(Long.class).one();
                      reading.countDown();
                      done.await();
                    });
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    reading.await();
    CompletableFuture<RetentionResult> drop =
        CompletableFuture.supplyAsync(
            () ->
                retention
                    .withLockTimeout(Duration.ofMillis(300), 3)
                    .dropOlderThan(TelemetryPartition.start(first.plusMonths(1))));

    List<StoreResult> results = new ArrayList<>();
    while (!drop.isDone()) {
      results.add(store.store(TimedRecords.inMonth(first.plusMonths(3), 5, random)));
    }
    done.countDown();
    longQuery.get(30, TimeUnit.SECONDS);

    assertThatThrownBy(drop::join)
        .hasCauseInstanceOf(TelemetryException.class)
        .hasMessageContaining("lock timeout");
    assertThat(results).isNotEmpty().allMatch(r -> r.equals(new StoreResult(5, 0)));
    assertThat(names()).contains(TelemetryPartition.month(first).name());
  }
}
