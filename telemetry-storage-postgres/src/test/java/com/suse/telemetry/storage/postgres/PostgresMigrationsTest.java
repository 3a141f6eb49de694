package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.testkit.TestPostgres;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class PostgresMigrationsTest {

  private static PostgresSettings settings(TestPostgres.Database database) {
    return PostgresSettings.of(database.url(), database.user(), database.password());
  }

  private static String version(TestPostgres.Database database) {
    return Jdbi.create(database.dataSource())
        .withHandle(
            handle ->
                handle
                    .createQuery("SELECT max(version) FROM flyway_schema_history WHERE success")
                    .mapTo(String.class)
                    .one());
  }

  @Test
  void migratesAnEmptyDatabaseAndLeavesACurrentOneAlone() {
    TestPostgres.Database database = TestPostgres.newDatabase();

    PostgresMigrations.migrate(settings(database));
    String first = version(database);
    PostgresMigrations.migrate(settings(database));

    assertThat(first).isEqualTo("5");
    assertThat(version(database)).isEqualTo(first);
  }

  @Test
  void refusesADatabaseMigratedByANewerCollector() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    PostgresMigrations.migrate(settings(database));
    Jdbi.create(database.dataSource())
        .useHandle(
            handle ->
                handle.execute(
                    """
        INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,
            checksum, installed_by, execution_time, success)
        VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'test', 0,
            true)"""));

    assertThatThrownBy(() -> PostgresMigrations.migrate(settings(database)))
        .isInstanceOf(TelemetryException.class)
        .hasMessageContaining(
            "the database schema is at version 99, newer than this collector" + " knows (5)");
  }

  @Test
  void saysWhenPostgresCannotBeReachedYetSoThatStartUpWaits() {
    PostgresSettings unreachable =
        PostgresSettings.of("jdbc:postgresql://127.0.0.1:1/telemetry", "nobody", "");

    assertThatThrownBy(() -> PostgresMigrations.migrate(unreachable))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot migrate the database")
        .hasMessageContaining("127.0.0.1:1");
  }

  @Test
  void failsForGoodWhenTheDatabaseDoesNotExist() {
    TestPostgres.Database database = TestPostgres.newDatabase();
    String missing = database.url().replaceFirst("/telemetry_test_[a-z0-9]+", "/no_such_db");
    PostgresSettings settings = PostgresSettings.of(missing, database.user(), database.password());

    assertThatThrownBy(() -> PostgresMigrations.migrate(settings))
        .isInstanceOf(TelemetryException.class)
        .isNotInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("no_such_db")
        .hasMessageContaining("3D000");
  }
}
