package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.testkit.TestPostgres;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;

/** A fresh test database migrated to the current schema, with a pool; one per test class. */
final class MigratedDatabase implements AutoCloseable {

  final TestPostgres.Database database;
  final PostgresSettings settings;
  final HikariDataSource dataSource;
  final Jdbi jdbi;

  MigratedDatabase() {
    database = TestPostgres.newDatabase();
    settings = PostgresSettings.of(database.url(), database.user(), database.password());
    PostgresMigrations.migrate(settings);
    dataSource = PostgresDataSources.pooled(settings);
    jdbi = Jdbi.create(dataSource);
  }

  /** Makes {@code names} the deployment's sinks, and only them: records are queued for them. */
  void sinks(String... names) {
    jdbi.useHandle(handle -> handle.execute("DELETE FROM sink"));
    for (String name : names) {
      PostgresSinks.create(dataSource).register(name);
    }
  }

  void truncate() {
    jdbi.useHandle(
        handle ->
            handle.execute(
                "TRUNCATE telemetry, envelope, outbox, outbox_rejected RESTART IDENTITY"));
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
