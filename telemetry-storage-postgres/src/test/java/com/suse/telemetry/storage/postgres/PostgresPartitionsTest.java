package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.testkit.TestOutbox;
import com.suse.telemetry.testkit.TestTelemetry;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresPartitionsTest {

  private static MigratedDatabase database;
  private PostgresTelemetryStore store;
  private PostgresOutbox outbox;
  private PostgresPartitions partitions;
  private final Random random = new Random(15);

  @BeforeAll
  static void createDatabase() {
    database = new MigratedDatabase();
  }

  @AfterAll
  static void close() {
    database.close();
  }

  @BeforeEach
  void emptyStore() {
    database.truncate();
    database.sinks("influxdb");
    store = PostgresTelemetryStore.create(database.dataSource);
    outbox = PostgresOutbox.create(database.dataSource);
    partitions = PostgresPartitions.create(database.dataSource);
  }

  /** The first month the table has no monthly partition for. */
  private YearMonth firstMissingMonth() {
    return TimedRecords.monthOf(partition(TelemetryPartition.AFTER).from());
  }

  private TelemetryPartition partition(String name) {
    return partitions.partitions().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void createsTheMonthsUpToThoseAheadOnceAndMovesTheRecordsThatFallInThem() {
    YearMonth first = firstMissingMonth();
    Submission early = TimedRecords.inMonth(first.plusMonths(1), 5, random);
    Submission later = TimedRecords.inMonth(first.plusMonths(9), 3, random);
    store.store(TestTelemetry.combined(early, later));
    Instant now = TelemetryPartition.start(first.plusMonths(1)).plusSeconds(3600);

    List<String> created = partitions.ensure(now);
    List<String> again = partitions.ensure(now);

    assertThat(created)
        .containsExactly(
            TelemetryPartition.month(first).name(),
            TelemetryPartition.month(first.plusMonths(1)).name(),
            TelemetryPartition.month(first.plusMonths(2)).name(),
            TelemetryPartition.month(first.plusMonths(3)).name(),
            TelemetryPartition.month(first.plusMonths(4)).name());
    assertThat(again).isEmpty();
    assertThat(TimedRecords.rows(database.jdbi, created.get(1))).isEqualTo(5);
    assertThat(TimedRecords.rows(database.jdbi, TelemetryPartition.AFTER)).isEqualTo(3);
    assertThat(partition(TelemetryPartition.AFTER).from())
        .isEqualTo(TelemetryPartition.start(first.plusMonths(5)));
    assertThat(store.store(early))
        .as("moved records stay duplicates")
        .isEqualTo(new StoreResult(0, 5));
    assertThat(outbox.lag("influxdb").pending()).isEqualTo(8);
    List<TelemetryRecord> delivered = TestOutbox.drain(outbox, "influxdb");
    assertThat(delivered).as("moved records keep their outbox entries").hasSize(8);
  }

  @Test
  void storesAnyTimeTheValidatorAcceptsWithoutCreatingAPartition() {
    partitions.ensure(Instant.now());
    int before = partitions.partitions().size();
    List<TelemetryRecord> records = new ArrayList<>();
    records.add(TimedRecords.at(Instant.parse("0001-01-01T00:00:00Z"), random));
    records.add(TimedRecords.at(Instant.parse("9999-12-31T23:59:59.999999999Z"), random));
    for (int i = 0; i < 500; i++) {
      LocalDateTime time =
          LocalDateTime.of(1 + random.nextInt(9999), 1 + random.nextInt(12), 1, 0, 0)
              .plusSeconds(random.nextInt(28 * 86_400));
      records.add(TimedRecords.at(time.toInstant(ZoneOffset.UTC), random));
    }

    StoreResult first = store.store(Submission.of(records));
    StoreResult second = store.store(Submission.of(records));

    assertThat(first).isEqualTo(new StoreResult(502, 0));
    assertThat(second).as("duplicates wherever they landed").isEqualTo(new StoreResult(0, 502));
    assertThat(partitions.partitions()).hasSize(before);
    assertThat(PostgresTelemetryStoreContractTest.readBack(database.dataSource))
        .extracting(TelemetryRecord::time)
        .containsExactlyInAnyOrderElementsOf(records.stream().map(TelemetryRecord::time).toList());
  }

  @Test
  void collectorsEnsuringAtOnceCreateEachMonthOnce() throws Exception {
    YearMonth first = firstMissingMonth();
    Instant now = TelemetryPartition.start(first.plusMonths(2));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<List<String>>> collectors = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        collectors.add(() -> PostgresPartitions.create(database.dataSource).ensure(now));
      }
      List<String> created = new ArrayList<>();
      for (Future<List<String>> future : pool.invokeAll(collectors)) {
        created.addAll(future.get());
      }

      assertThat(created).hasSize(6).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }
}
