package com.suse.telemetry.app;

import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.storage.postgres.PostgresDataSources;
import com.suse.telemetry.storage.postgres.PostgresMigrations;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The database an operator's command ({@code keys}, {@code purge}, {@code quarantine}) works on:
 * the one {@code serve} is configured with, or, with none configured, the embedded one in the data
 * directory (while no collector runs on it). Migrated as {@code serve} would.
 */
final class OperatorDatabase implements AutoCloseable {

  private final EmbeddedDatabase embedded;
  final HikariDataSource pool;

  private OperatorDatabase(EmbeddedDatabase embedded, HikariDataSource pool) {
    this.embedded = embedded;
    this.pool = pool;
  }

  /**
   * Opens the database {@code values} name.
   *
   * @throws com.suse.telemetry.core.settings.InvalidSettingException if a setting makes no sense
   * @throws com.suse.telemetry.core.TelemetryException if the database cannot be reached or
   *     migrated
   */
  static OperatorDatabase open(SettingValues values) {
    PostgresSettings settings = PostgresSettings.from(values).orElse(null);
    EmbeddedDatabase embedded = null;
    if (settings == null) {
      embedded = EmbeddedDatabase.start(values.get(Settings.DATA_DIR));
      settings = embedded.settings();
    }
    try {
      PostgresMigrations.migrate(settings);
      return new OperatorDatabase(embedded, PostgresDataSources.pooled(settings));
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
