package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.storage.postgres.PostgresMigrations;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.testkit.TestPostgres;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code outbox} commands refuse what makes no sense with one line and exit code 2. */
class OutboxCommandTest {

  private static Map<String, String> database;

  @BeforeAll
  static void migratedDatabase() {
    TestPostgres.Database test = TestPostgres.newDatabase();
    PostgresMigrations.migrate(PostgresSettings.of(test.url(), test.user(), test.password()));
    database = CollectorProcess.on(test);
  }

  @Test
  void needsACommandAndADatabase() {
    Cli.Run bare = Cli.run(database, "outbox");
    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.error()).contains("Missing a command: sinks, replay, parked, retry, drop");

    Cli.Run nowhere = Cli.run(Map.of(), "outbox", "sinks");
    assertThat(nowhere.exitCode()).isEqualTo(2);
    assertThat(nowhere.error())
        .contains(
            "The outbox is in PostgreSQL: set TELEMETRY_DB_URL (--db-url) or TELEMETRY_DB_HOST");
  }

  @Test
  void refusesARangeOrTypeThatMakesNoSenseAndASinkNobodyRegistered() {
    Cli.Run backwards =
        Cli.run(
            database,
            "outbox",
            "replay",
            "--sink",
            "influxdb",
            "--from",
            "2024-02-01",
            "--to",
            "2024-01-01");
    assertThat(backwards.exitCode()).isEqualTo(2);
    assertThat(backwards.error()).contains("must be before");

    Cli.Run notATime =
        Cli.run(
            database,
            "outbox",
            "replay",
            "--sink",
            "influxdb",
            "--from",
            "yesterday",
            "--to",
            "2024-01-01");
    assertThat(notATime.error())
        .contains("--from must be a date (2024-05-01, midnight UTC) or an RFC 3339 time");

    Cli.Run type =
        Cli.run(
            database,
            "outbox",
            "replay",
            "--sink",
            "influxdb",
            "--from",
            "2024-01-01",
            "--to",
            "2024-02-01",
            "--type",
            "trento");
    assertThat(type.error()).contains("--type is application/telemetry_type");

    Cli.Run unknown =
        Cli.run(
            database,
            "outbox",
            "replay",
            "--sink",
            "kafka",
            "--from",
            "2024-01-01",
            "--to",
            "2024-02-01");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.error()).contains("no sink 'kafka' is registered");
    assertThat(Cli.run(database, "outbox", "sinks").output()).contains("No sink is registered");
  }

  @Test
  void actsOnParkedRecordsNamedOrAllButNotBoth() {
    assertThat(Cli.run(database, "outbox", "drop", "--sink", "influxdb").exitCode()).isEqualTo(2);
    assertThat(
            Cli.run(database, "outbox", "drop", "--sink", "influxdb", "--id", "1", "--all")
                .exitCode())
        .isEqualTo(2);
    Cli.Run none = Cli.run(database, "outbox", "drop", "--sink", "influxdb", "--id", "1,2");
    assertThat(none.exitCode()).isZero();
    assertThat(none.output()).contains("0 parked record(s) dropped for influxdb.");
    assertThat(Cli.run(database, "outbox", "parked").output()).contains("No record is parked.");
  }
}
