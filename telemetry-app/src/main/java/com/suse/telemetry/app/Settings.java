package com.suse.telemetry.app;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.storage.influx.InfluxSettings;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import java.nio.file.Path;
import java.util.List;

/**
 * The collector's configuration, read by {@link SettingsReader} from environment variables and
 * command-line options.
 *
 * @param http how the HTTP API listens
 * @param database the PostgreSQL to use, or null for the embedded development database
 * @param influx the InfluxDB to forward to, or null to forward nowhere
 * @param schemaDirectories extra directories of telemetry types
 * @param dataDirectory where the embedded database keeps its data
 * @param debug whether to log at debug level
 */
public record Settings(
    HttpSettings http,
    PostgresSettings database,
    InfluxSettings influx,
    List<Path> schemaDirectories,
    Path dataDirectory,
    boolean debug) {

  /** Takes an immutable copy of the directories. */
  public Settings {
    schemaDirectories = List.copyOf(schemaDirectories);
  }

  /** Whether the embedded development database is used. */
  public boolean embeddedDatabase() {
    return database == null;
  }
}
