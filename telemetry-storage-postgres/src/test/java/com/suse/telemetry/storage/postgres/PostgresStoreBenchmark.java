package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.testkit.TelemetryCopy;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures how fast the store writes records, beside the ceiling of a pgjdbc COPY of the same rows
 * into the same table, in one run on one server, and prints the figures with their ratios.
 *
 * <p>Run: {@code mvn -q -pl telemetry-storage-postgres -am test-compile exec:exec} (uses the test
 * PostgreSQL of {@code TELEMETRY_TEST_DB_URL}, else an embedded one). Not a test: figures vary with
 * the machine; compare the ratios.
 */
public final class PostgresStoreBenchmark {

  private static final int RECORDS_PER_RUN = 40_000;
  private static final int CLIENTS = 8;

  private PostgresStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (MigratedDatabase database = new MigratedDatabase()) {
      System.out.printf(
          Locale.ROOT,
          "PostgreSQL store benchmark on %s, %d records per run%n%n",
          TestPostgres.describeSharedServer(),
          RECORDS_PER_RUN);
      System.out.printf(
          Locale.ROOT, "%-9s %-30s %12s %10s%n", "envelope", "method", "records/s", "vs COPY");
      for (int size : new int[] {1, 100, 1000}) {
        List<Submission> envelopes = envelopes(size);
        List<TelemetryRecord> records = TestTelemetry.records(envelopes);
        warmUp(database, envelopes);
        // The ceiling is the better of one COPY stream and one per client.
        double oneStream = measure(database, records.size(), () -> copy(database, records));
        double streams =
            measure(database, records.size(), () -> copyInParallel(database, records, CLIENTS));
        double copy = Math.max(oneStream, streams);
        row(size, "COPY, 1 stream", oneStream, copy);
        row(size, "COPY, " + CLIENTS + " streams", streams, copy);
        database.sinks();
        PostgresTelemetryStore plain = PostgresTelemetryStore.create(database.dataSource);
        row(
            size,
            "store, 1 client",
            measure(database, records.size(), () -> storeEach(plain, envelopes, 1)),
            copy);
        row(
            size,
            "store, " + CLIENTS + " clients",
            measure(database, records.size(), () -> storeEach(plain, envelopes, CLIENTS)),
            copy);
        database.sinks("influxdb");
        PostgresTelemetryStore outboxed = PostgresTelemetryStore.create(database.dataSource);
        row(
            size,
            "store+outbox, " + CLIENTS + " clients",
            measure(database, records.size(), () -> storeEach(outboxed, envelopes, CLIENTS)),
            copy);
        row(
            size,
            "batched INSERT, " + CLIENTS + " clients",
            measure(database, records.size(), () -> batchedInserts(database, envelopes, CLIENTS)),
            copy);
        System.out.println();
      }
    }
    System.exit(0);
  }

  private static List<Submission> envelopes(int size) {
    List<Submission> envelopes = new ArrayList<>();
    for (int i = 0; i < RECORDS_PER_RUN / size; i++) {
      envelopes.add(TestTelemetry.hosts(size, size * 1_000_000L + i));
    }
    return envelopes;
  }

  private interface Run {
    void run() throws Exception;
  }

  /** Records per second of {@code run}, starting from an empty table. */
  private static double measure(MigratedDatabase database, int records, Run run) throws Exception {
    database.truncate();
    long start = System.nanoTime();
    run.run();
    return records / ((System.nanoTime() - start) / 1e9);
  }

  private static void warmUp(MigratedDatabase database, List<Submission> envelopes)
      throws Exception {
    List<Submission> some = envelopes.subList(0, Math.min(envelopes.size(), 2_000));
    database.sinks();
    PostgresTelemetryStore store = PostgresTelemetryStore.create(database.dataSource);
    measure(database, 0, () -> storeEach(store, some, CLIENTS));
    measure(database, 0, () -> batchedInserts(database, some, CLIENTS));
    measure(database, 0, () -> copy(database, TestTelemetry.records(some)));
  }

  private static void row(int size, String method, double recordsPerSecond, double copy) {
    System.out.printf(
        Locale.ROOT,
        "%-9d %-30s %12.0f %9.2fx%n",
        size,
        method,
        recordsPerSecond,
        recordsPerSecond / copy);
  }

  private static void storeEach(
      PostgresTelemetryStore store, List<Submission> envelopes, int clients) throws Exception {
    parallel(envelopes, clients, store::store);
  }

  private interface Writer {
    void write(Submission envelope) throws Exception;
  }

  private static void parallel(List<Submission> envelopes, int clients, Writer writer)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement();
                    i < envelopes.size();
                    i = next.getAndIncrement()) {
                  writer.write(envelopes.get(i));
                }
                return null;
              }));
    }
    for (Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
  }

  /** The alternative the store did not pick: a JDBC batch of single-row inserts per envelope. */
  private static void batchedInserts(
      MigratedDatabase database, List<Submission> envelopes, int clients) throws Exception {
    parallel(
        envelopes,
        clients,
        envelope -> {
          try (Connection connection = database.dataSource.getConnection();
              PreparedStatement insert =
                  connection.prepareStatement(
                      """
              INSERT INTO telemetry (application, telemetry_type, schema_version, time,
                                     time_nanos, received_at, identity, payload)
              VALUES (?, ?, ?, ?::timestamptz, ?, ?::timestamptz, ?::uuid, ?::jsonb)
              ON CONFLICT (application, telemetry_type, time, identity) DO NOTHING""")) {
            connection.setAutoCommit(false);
            for (TelemetryRecord record : envelope.records()) {
              insert.setString(1, record.type().application());
              insert.setString(2, record.type().telemetryType());
              insert.setInt(3, record.type().schemaVersion());
              insert.setString(4, record.time().truncatedTo(ChronoUnit.MICROS).toString());
              insert.setInt(5, record.time().getNano());
              insert.setString(6, record.receivedAt().truncatedTo(ChronoUnit.MICROS).toString());
              insert.setString(7, record.identity());
              insert.setString(8, record.json());
              insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
          }
        });
  }

  private static void copyInParallel(
      MigratedDatabase database, List<TelemetryRecord> records, int streams) throws Exception {
    List<Submission> slices = new ArrayList<>();
    int slice = (records.size() + streams - 1) / streams;
    for (int i = 0; i < records.size(); i += slice) {
      slices.add(Submission.of(records.subList(i, Math.min(records.size(), i + slice))));
    }
    parallel(slices, streams, part -> copy(database, part.records()));
  }

  private static void copy(MigratedDatabase database, List<TelemetryRecord> records)
      throws Exception {
    String csv = TelemetryCopy.csv(records);
    try (Connection connection = database.dataSource.getConnection()) {
      TelemetryCopy.copy(connection, csv);
    }
  }
}
