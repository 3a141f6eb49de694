package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.testkit.TelemetryStoreContract;
import com.suse.telemetry.testkit.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The PostgreSQL store keeps the storage contract, against a real PostgreSQL. */
class PostgresTelemetryStoreContractTest extends TelemetryStoreContract {

  private static HikariDataSource dataSource;

  @BeforeAll
  static void createDatabase() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    PostgresSettings settings =
        PostgresSettings.of(database.url(), database.user(), database.password());
    PostgresMigrations.migrate(settings);
    dataSource = PostgresDataSources.pooled(settings);
  }

  @AfterAll
  static void closePool() {
    dataSource.close();
  }

  @Override
  protected Subject newSubject(List<String> sinks) {
    Jdbi.create(dataSource)
        .useHandle(
            handle ->
                handle.execute(
                    "TRUNCATE telemetry, envelope, outbox, outbox_rejected, sink RESTART IDENTITY"));
    return subject(dataSource, sinks);
  }

  @Override
  protected Outage newOutage(List<String> sinks) {
    TestPostgres.DedicatedServer server = TestPostgres.startDedicated();
    TestPostgres.Database database = server.newDatabase();
    PostgresSettings settings =
        PostgresSettings.of(database.url(), database.user(), database.password());
    PostgresMigrations.migrate(settings);
    HikariDataSource pool = PostgresDataSources.pooled(settings);
    Subject subject = subject(pool, sinks);
    return new Outage() {
      @Override
      public Subject subject() {
        return subject;
      }

      @Override
      public void stop() {
        server.stop();
      }

      @Override
      public void start() {
        server.start();
      }

      @Override
      public void close() {
        pool.close();
        server.close();
      }
    };
  }

  private static Subject subject(DataSource dataSource, List<String> sinks) {
    sinks.forEach(PostgresSinks.create(dataSource)::register);
    return new Subject(
        PostgresTelemetryStore.create(dataSource),
        PostgresOutbox.create(dataSource),
        () -> readBack(dataSource));
  }

  /** Reads the telemetry table as BI tools and the forwarder see it. */
  static List<TelemetryRecord> readBack(DataSource dataSource) {
    return Jdbi.create(dataSource)
        .withHandle(
            handle ->
                handle
                    .createQuery(
                        """
            SELECT application, telemetry_type, schema_version, time, time_nanos, received_at,
                   identity, payload::text AS payload
            FROM telemetry ORDER BY id""")
                    .map(
                        (rs, ctx) ->
                            new TelemetryRecord(
                                new TelemetryTypeId(
                                    rs.getString("application"),
                                    rs.getString("telemetry_type"),
                                    rs.getInt("schema_version")),
                                Instant.ofEpochSecond(
                                    rs.getObject("time", OffsetDateTime.class).toEpochSecond(),
                                    rs.getInt("time_nanos")),
                                rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("identity", UUID.class).toString().replace("-", ""),
                                rs.getString("payload")))
                    .list());
  }
}
