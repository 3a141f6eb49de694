package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.TelemetryException;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database schema to this collector's version with Flyway: an empty or older database is
 * migrated; a database migrated by a newer collector is refused, since this one would not know its
 * tables. Several collectors starting at once are safe: Flyway takes a lock.
 */
public final class PostgresMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresMigrations.class);
  private static final String LOCATION = "classpath:com/suse/telemetry/storage/postgres/migration";

  private PostgresMigrations() {}

  /**
   * Migrates the database at {@code settings.url()}.
   *
   * @throws com.suse.telemetry.core.spi.StoreUnavailableException if PostgreSQL cannot be reached
   *     (worth trying again later)
   * @throws TelemetryException if the database is newer than this collector, refuses the login,
   *     does not exist, or migrating fails
   */
  public static void migrate(PostgresSettings settings) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(settings.url(), settings.user(), settings.password())
            .locations(LOCATION)
            .connectRetries(0)
            .load();
    try {
      refuseNewerDatabase(flyway);
      int applied = flyway.migrate().migrationsExecuted;
      LOG.info(
          "Database schema at version {} ({} migration(s) applied now)",
          flyway.info().current().getVersion(),
          applied);
    } catch (FlywayException e) {
      throw PostgresFailures.translateStartup("migrate the database", e);
    }
  }

  private static void refuseNewerDatabase(Flyway flyway) {
    MigrationInfo current = flyway.info().current();
    if (current != null && !current.getState().isResolved()) {
      String latestKnown =
          Arrays.stream(flyway.info().all())
              .filter(m -> m.getState().isResolved() && m.getVersion() != null)
              .map(m -> m.getVersion().toString())
              .reduce((a, b) -> b)
              .orElse("none");
      throw new TelemetryException(
          "the database schema is at version "
              + current.getVersion()
              + ", newer than this collector knows ("
              + latestKnown
              + "): it was migrated by a newer"
              + " collector; run that version, or restore a backup taken before the upgrade");
    }
  }
}
