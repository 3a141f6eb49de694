package com.suse.telemetry.app;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development default: a PostgreSQL started by the collector itself, its data in {@code <data
 * dir>/postgres} so that it survives restarts. Not for production: it lives and dies with the
 * collector.
 */
final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final String DATABASE = "telemetry";

  private final EmbeddedPostgres postgres;
  private final PostgresSettings settings;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
    this.settings =
        PostgresSettings.of(postgres.getJdbcUrl("postgres", DATABASE), "postgres", "postgres");
  }

  static EmbeddedDatabase start(Path dataDirectory) {
    Path data = dataDirectory.toAbsolutePath().resolve("postgres");
    try {
      Files.createDirectories(data);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(data)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .start();
      createDatabaseIfMissing(postgres);
      EmbeddedDatabase database = new EmbeddedDatabase(postgres);
      LOG.warn(
          "Using the EMBEDDED development PostgreSQL (data in {}, port {}). For production,"
              + " point the collector at a real PostgreSQL with TELEMETRY_DB_URL, or TELEMETRY_DB_HOST,"
              + " _PORT, _NAME, _USER and _PASSWORD.",
          data,
          postgres.getPort());
      return database;
    } catch (IOException | SQLException e) {
      throw new TelemetryException(
          "cannot start the embedded PostgreSQL in " + data + ": " + e.getMessage(), e);
    }
  }

  private static void createDatabaseIfMissing(EmbeddedPostgres postgres) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      var exists =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
      if (!exists.next()) {
        statement.execute("CREATE DATABASE " + DATABASE);
      }
    }
  }

  PostgresSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    try {
      postgres.close();
      LOG.info("Embedded PostgreSQL stopped");
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.toString());
    }
  }
}
