package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.storage.postgres.PostgresMigrations;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The watch on the telemetry table's exclusive lock, against a real lock on a real table. */
class TableLockWatchTest {

  private static BenchmarkDatabase database;

  @BeforeAll
  static void migrate() {
    TestPostgres.Database db = TestPostgres.newDatabase();
    PostgresMigrations.migrate(PostgresSettings.of(db.url(), db.user(), db.password()));
    database = BenchmarkDatabase.of(db);
  }

  @Test
  void seesTheLockFromItsTransactionsStartToItsEnd() throws Exception {
    Measurements.TableLock lock;
    try (TableLockWatch watch = TableLockWatch.start(database);
        Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("LOCK TABLE telemetry IN ACCESS EXCLUSIVE MODE");
        statement.execute("SELECT pg_sleep(0.3)");
      }
      connection.commit();
      // The commit is seen by the next sample; one taken after the stop.
      lock = watch.stop();
    }

    assertThat(lock.episodesMillis()).hasSize(1);
    assertThat(lock.episodesMillis().get(0)).isGreaterThanOrEqualTo(300);
    assertThat(lock.stillLocked()).isFalse();
    assertThat(lock.samplingMillis()).isPositive();
  }

  @Test
  void seesNothingWhenNothingLocksTheTable() throws Exception {
    Measurements.TableLock lock;
    try (TableLockWatch watch = TableLockWatch.start(database);
        Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      // A lock that does not keep ingestion out, and one on another table.
      connection.setAutoCommit(false);
      statement.execute("LOCK TABLE telemetry IN ROW EXCLUSIVE MODE");
      statement.execute("LOCK TABLE envelope IN ACCESS EXCLUSIVE MODE");
      statement.execute("SELECT pg_sleep(0.1)");
      connection.commit();
      lock = watch.stop();
    }

    assertThat(lock.episodesMillis()).isEmpty();
    assertThat(lock.heldMillis()).isZero();
    assertThat(lock.stillLocked()).isFalse();
  }

  @Test
  void aLockHeldAtTheStopIsSaidToBeStillHeld() throws Exception {
    Measurements.TableLock lock;
    try (TableLockWatch watch = TableLockWatch.start(database);
        Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      statement.execute("LOCK TABLE telemetry IN ACCESS EXCLUSIVE MODE");
      statement.execute("SELECT pg_sleep(0.05)");
      lock = watch.stop();
      connection.rollback();
    }

    assertThat(lock.stillLocked()).isTrue();
    assertThat(lock.episodesMillis()).hasSize(1);
  }
}
