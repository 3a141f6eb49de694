package com.suse.telemetry.app;

import com.suse.telemetry.app.SinkProviders.ConfiguredSink;
import com.suse.telemetry.core.ForwardingSettings;
import com.suse.telemetry.core.quarantine.QuarantineSettings;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.http.ManagementSettings;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.storage.postgres.RetentionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The collector's configuration: each module's own, and the app's. Every setting is declared once,
 * by the module that owns it; {@link #ALL} lists them for the command line, the environment and the
 * configuration file.
 *
 * @param http how the HTTP API listens
 * @param management where the management API (metrics, health, build) listens
 * @param database the PostgreSQL to use, or null for the embedded development database
 * @param retention how long the store keeps telemetry, and its partitions
 * @param sinks the secondary sinks to forward to, found as {@link SinkProviders}; none to forward
 *     nowhere
 * @param forwarding how records are forwarded to them
 * @param schemaDirectories extra directories of telemetry types
 * @param dataDirectory where the embedded database keeps its data
 * @param startupTimeout how long start-up waits for PostgreSQL
 * @param debug whether to log at debug level
 * @param quarantine how submissions rejected by validation are kept
 */
public record Settings(
    HttpSettings http,
    ManagementSettings management,
    PostgresSettings database,
    RetentionSettings retention,
    List<ConfiguredSink> sinks,
    ForwardingSettings forwarding,
    List<Path> schemaDirectories,
    Path dataDirectory,
    Duration startupTimeout,
    boolean debug,
    QuarantineSettings quarantine) {

  /** Extra directories of telemetry types. */
  public static final Setting<List<Path>> SCHEMAS_DIR =
      Setting.directories("schemas-dir", "extra directories of telemetry types");

  /** Where the embedded database keeps its data. */
  public static final Setting<Path> DATA_DIR =
      Setting.path(
          "data-dir",
          "telemetry-data",
          "data of the embedded database, used when no PostgreSQL is configured");

  /** How long start-up waits for PostgreSQL. */
  public static final Setting<Duration> STARTUP_TIMEOUT =
      Setting.duration(
          "startup-timeout",
          Duration.ZERO,
          Duration.ofHours(1),
          Duration.ofSeconds(60),
          "how long start-up waits for PostgreSQL to answer, trying again with back-off; then the"
              + " collector exits 1");

  /** Debug logging. */
  public static final Setting<Boolean> DEBUG = Setting.flag("debug", false, "log at debug level");

  /** The app's own settings. */
  static final List<Setting<?>> APP = List.of(SCHEMAS_DIR, DATA_DIR, STARTUP_TIMEOUT, DEBUG);

  /** Every setting of the collector, in the order help lists them. */
  public static final List<Setting<?>> ALL =
      Stream.of(
              HttpSettings.SETTINGS,
              ManagementSettings.SETTINGS,
              PostgresSettings.SETTINGS,
              RetentionSettings.SETTINGS,
              ForwardingSettings.SETTINGS,
              SinkProviders.SETTINGS,
              QuarantineSettings.SETTINGS,
              APP)
          .flatMap(List::stream)
          .toList();

  /** Takes immutable copies of the sinks and directories. */
  public Settings {
    sinks = List.copyOf(sinks);
    schemaDirectories = List.copyOf(schemaDirectories);
  }

  /**
   * The configuration {@code values} describe.
   *
   * @throws InvalidSettingException naming a setting whose value makes no sense with the others
   */
  public static Settings from(SettingValues values) {
    return new Settings(
        HttpSettings.from(values),
        ManagementSettings.from(values),
        PostgresSettings.from(values).orElse(null),
        RetentionSettings.from(values),
        SinkProviders.configured(values),
        ForwardingSettings.from(values),
        values.get(SCHEMAS_DIR),
        values.get(DATA_DIR),
        values.get(STARTUP_TIMEOUT),
        values.get(DEBUG),
        QuarantineSettings.from(values));
  }

  /** Whether the embedded development database is used. */
  public boolean embeddedDatabase() {
    return database == null;
  }
}
