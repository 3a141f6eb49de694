package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * Measures how the insert rate of 100-record transactions holds up as the table grows, for the
 * first schema version (one table, unique key on a random identity) and the partitioned one, in one
 * run on one server: each shape empty, then holding {@code FILL_ROWS} rows over six months. Also
 * times a retention drop of one filled month and forgetting a million envelope ids.
 *
 * <p>Run: {@code mvn -q -B -pl telemetry-storage-postgres -am test-compile exec:exec
 * -Dbenchmark.main=com.suse.telemetry.storage.postgres.PartitionScaleBenchmark} (uses the test
 * PostgreSQL of {@code TELEMETRY_TEST_DB_URL}, else an embedded one). Not a test: compare the
 * ratios.
 */
public final class PartitionScaleBenchmark {

  // SCALE_FILL_ROWS=60000 for a quick check that it works.
  private static final int FILL_ROWS =
      Integer.parseInt(System.getenv().getOrDefault("SCALE_FILL_ROWS", "5400000"));
  private static final int MONTHS = 6;
  private static final int ENVELOPES = 400;
  private static final int CLIENTS = 4;
  private static final int ROUNDS = 3;

  private static final String VERSION_1_INSERT =
      """
      WITH inserted AS (
        INSERT INTO telemetry (application, telemetry_type, schema_version, time, time_nanos,
                               received_at, identity, payload)
        SELECT r.application, r.telemetry_type, r.schema_version, r.time, r.time_nanos,
               r.received_at, r.identity, r.payload::jsonb
        FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[]),
                    CAST(? AS timestamptz[]), CAST(? AS integer[]), CAST(? AS timestamptz[]),
                    CAST(? AS uuid[]), CAST(? AS text[]))
             WITH ORDINALITY AS r(application, telemetry_type, schema_version, time, time_nanos,
                                  received_at, identity, payload, position)
        ORDER BY r.position
        ON CONFLICT (application, telemetry_type, identity) DO NOTHING
        RETURNING id, application, telemetry_type, identity
      )
      SELECT application, telemetry_type, identity FROM inserted
      """;

  private static final String FILL =
      """
      INSERT INTO telemetry (application, telemetry_type, schema_version, time, time_nanos,
                             received_at, identity, payload)
      SELECT 'trento', 'host_telemetry', 1,
             CAST(? AS timestamptz) + (i * CAST(? AS double precision)) * interval '1 second',
             0, now(), gen_random_uuid(),
             jsonb_build_object('installation_id', gen_random_uuid(), 'agent_id',
                 gen_random_uuid(), 'sles_version', '15-SP4', 'cpu_count', 8, 'socket_count', 2,
                 'total_memory_mb', 16384, 'cloud_provider', 'aws', 'installation_flavor',
                 'Premium', 'agent_installation_source', 'suse', 'time', '2024-01-01T00:00:00Z')
      FROM generate_series(0, ? - 1) AS i
      """;

  private PartitionScaleBenchmark() {}

  /** A database of one schema shape, and how records are inserted into it. */
  private record Shape(String name, HikariDataSource pool, Inserter inserter) {}

  private interface Inserter {
    void insert(List<TelemetryRecord> records) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    // Records arrive dated in the latest of the filled months, as a fleet reporting now would.
    YearMonth first = YearMonth.now(java.time.ZoneOffset.UTC).plusMonths(1);
    YearMonth current = first.plusMonths(MONTHS - 1);
    Shape version1 = version1();
    Shape version2 = version2(current);
    List<Shape> shapes = List.of(version1, version2);
    System.out.printf(
        Locale.ROOT,
        "Scale: %d-record transactions, %d clients, %d per measurement, median of %d; on %s%n",
        100,
        CLIENTS,
        ENVELOPES,
        ROUNDS,
        TestPostgres.describeSharedServer());

    double[][] rates = new double[2][2];
    for (int i = 0; i < shapes.size(); i++) {
      rates[i][0] = median(shapes.get(i), current, 0);
    }
    for (Shape shape : shapes) {
      long start = System.nanoTime();
      fill(shape, first);
      System.out.printf(
          Locale.ROOT,
          "filled %s with %d rows over %d months in %.0f s%n",
          shape.name(),
          FILL_ROWS,
          MONTHS,
          (System.nanoTime() - start) / 1e9);
    }
    for (int i = 0; i < shapes.size(); i++) {
      rates[i][1] = median(shapes.get(i), current, 1);
    }
    System.out.printf(
        Locale.ROOT, "%-22s %14s %14s %8s%n", "shape", "empty rec/s", "filled rec/s", "ratio");
    for (int i = 0; i < shapes.size(); i++) {
      System.out.printf(
          Locale.ROOT,
          "%-22s %14.0f %14.0f %7.2fx%n",
          shapes.get(i).name(),
          rates[i][0],
          rates[i][1],
          rates[i][1] / rates[i][0]);
    }
    System.out.printf(
        Locale.ROOT, "partitioned vs one table, filled: %.2fx%n", rates[1][1] / rates[0][1]);

    long start = System.nanoTime();
    RetentionResult dropped =
        PostgresRetention.create(version2.pool())
            .dropOlderThan(TelemetryPartition.start(first.plusMonths(1)));
    System.out.printf(
        Locale.ROOT,
        "retention: dropped %s in %.0f ms%n",
        dropped.droppedPartitions(),
        (System.nanoTime() - start) / 1e6);
    forgetEnvelopes(version2.pool());
    version1.pool().close();
    version2.pool().close();
    System.exit(0);
  }

  private static Shape version1() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    Flyway.configure()
        .dataSource(database.url(), database.user(), database.password())
        .locations("classpath:com/suse/telemetry/storage/postgres/migration")
        .target("1")
        .load()
        .migrate();
    HikariDataSource pool =
        PostgresDataSources.pooled(
            PostgresSettings.of(database.url(), database.user(), database.password()));
    return new Shape("one table (V1)", pool, records -> insertVersion1(pool, records));
  }

  private static Shape version2(YearMonth current) {
    TestPostgres.Database database = TestPostgres.newDatabase();
    PostgresSettings settings =
        PostgresSettings.of(database.url(), database.user(), database.password());
    PostgresMigrations.migrate(settings);
    HikariDataSource pool = PostgresDataSources.pooled(settings);
    PostgresPartitions.create(pool).ensure(TelemetryPartition.start(current));
    PostgresTelemetryStore store = PostgresTelemetryStore.create(pool);
    return new Shape(
        "monthly partitions (V2)", pool, records -> store.store(Submission.of(records)));
  }

  /** The median records per second of {@link #ROUNDS} measurements. */
  private static double median(Shape shape, YearMonth month, int phase) throws Exception {
    double[] rates = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      List<List<TelemetryRecord>> envelopes = envelopes(month, phase * 100 + round);
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < envelopes.size();
                      i = next.getAndIncrement()) {
                    shape.inserter().insert(envelopes.get(i));
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      rates[round] = envelopes.size() * 100 / ((System.nanoTime() - start) / 1e9);
      pool.shutdown();
    }
    Arrays.sort(rates);
    System.out.printf(
        Locale.ROOT,
        "  %s, %s: %s rec/s%n",
        shape.name(),
        phase == 0 ? "empty" : "filled",
        Arrays.toString(Arrays.stream(rates).mapToLong(Math::round).toArray()));
    return rates[ROUNDS / 2];
  }

  /** Realistic Trento hosts, re-dated within {@code month}. */
  private static List<List<TelemetryRecord>> envelopes(YearMonth month, int seed) {
    Instant start = TelemetryPartition.start(month).plus(10, ChronoUnit.DAYS);
    List<List<TelemetryRecord>> envelopes = new ArrayList<>();
    for (int e = 0; e < ENVELOPES; e++) {
      List<TelemetryRecord> records = new ArrayList<>();
      for (TelemetryRecord host : TestTelemetry.hosts(100, seed * 1_000_000L + e).records()) {
        records.add(
            new TelemetryRecord(
                host.type(),
                start.plusSeconds((long) seed * 86_400 + e * 100L + records.size()),
                host.receivedAt(),
                host.identity(),
                host.json()));
      }
      envelopes.add(records);
    }
    return envelopes;
  }

  private static void fill(Shape shape, YearMonth first) throws Exception {
    int perMonth = FILL_ROWS / MONTHS;
    // In chunks, each well within the pool's socket timeout.
    int chunks = Math.max(1, perMonth / 100_000);
    try (Connection connection = shape.pool().getConnection()) {
      for (int m = 0; m < MONTHS; m++) {
        YearMonth month = first.plusMonths(m);
        double step = month.lengthOfMonth() * 86_400.0 / perMonth;
        for (int chunk = 0; chunk < chunks; chunk++) {
          try (PreparedStatement fill = connection.prepareStatement(FILL)) {
            Instant from =
                TelemetryPartition.start(month)
                    .plusMillis((long) (chunk * (perMonth / chunks) * step * 1000));
            fill.setString(1, from.toString());
            fill.setDouble(2, step);
            fill.setInt(3, perMonth / chunks);
            fill.executeUpdate();
          }
        }
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("VACUUM ANALYZE telemetry");
      }
    }
  }

  private static void insertVersion1(HikariDataSource pool, List<TelemetryRecord> records)
      throws Exception {
    int n = records.size();
    Object[][] columns = new Object[8][n];
    for (int i = 0; i < n; i++) {
      TelemetryRecord record = records.get(i);
      columns[0][i] = record.type().application();
      columns[1][i] = record.type().telemetryType();
      columns[2][i] = record.type().schemaVersion();
      columns[3][i] = record.time().truncatedTo(ChronoUnit.MICROS).toString();
      columns[4][i] = record.time().getNano();
      columns[5][i] = record.receivedAt().truncatedTo(ChronoUnit.MICROS).toString();
      columns[6][i] = record.identity();
      columns[7][i] = record.json();
    }
    String[] types = {"text", "text", "integer", "text", "integer", "text", "text", "text"};
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(VERSION_1_INSERT)) {
        for (int c = 0; c < 8; c++) {
          insert.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
        }
        try (ResultSet result = insert.executeQuery()) {
          while (result.next()) {
            result.getString(3);
          }
        }
      }
      connection.commit();
    }
  }

  private static void forgetEnvelopes(HikariDataSource pool) throws Exception {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO envelope (id, received_at) SELECT gen_random_uuid(),"
              + " now() - interval '60 days' + i * interval '1 second'"
              + " FROM generate_series(1, 1000000) AS i");
      statement.execute("VACUUM ANALYZE envelope");
    }
    long start = System.nanoTime();
    long forgotten =
        PostgresRetention.create(pool)
            .forgetEnvelopesReceivedBefore(Instant.now().minus(30, ChronoUnit.DAYS));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "envelope ids: %d forgotten in %.1f s (%.0f/s)%n",
        forgotten,
        seconds,
        forgotten / seconds);
  }
}
