package com.suse.telemetry.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real PostgreSQL for tests. {@link #newDatabase()} gives each test class a database of its own on
 * a server shared by the whole test run: the one named by {@code TELEMETRY_TEST_DB_URL}, {@code
 * TELEMETRY_TEST_DB_USER} and {@code TELEMETRY_TEST_DB_PASSWORD} (the role needs CREATEDB); else a
 * Testcontainers {@code postgres:15} when Docker is present; else an embedded PostgreSQL. {@link
 * #startDedicated()} starts a server of the test's own, which it may stop and start again.
 */
public final class TestPostgres {

  /** JDBC URL of a database on the shared server; new databases are created beside it. */
  public static final String URL_VARIABLE = "TELEMETRY_TEST_DB_URL";

  private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
  private static Server shared;

  private TestPostgres() {}

  /** A database of a test's own. */
  public record Database(String url, String user, String password) {

    /** A data source for this database, without pooling. */
    public PGSimpleDataSource dataSource() {
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      dataSource.setUrl(url);
      dataSource.setUser(user);
      dataSource.setPassword(password);
      return dataSource;
    }

    /** Opens a plain connection to this database. */
    public Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, password);
    }
  }

  /** A server reachable at {@code adminUrl} as {@code user}, where databases can be created. */
  private record Server(String adminUrl, String user, String password) {

    Database createDatabase() {
      String name =
          "telemetry_test_"
              + UUID.randomUUID()
                  .toString()
                  .replace("-", "")
                  .substring(0, 12)
                  .toLowerCase(Locale.ROOT);
      execute("CREATE DATABASE " + name);
      return new Database(withDatabase(adminUrl, name), user, password);
    }

    /** Drops {@code database} when the tests are over, so that runs leave no databases behind. */
    void dropAtExit(Database database) {
      String name = URI.create(database.url().substring("jdbc:".length())).getPath().substring(1);
      Thread drop =
          new Thread(
              () -> {
                try {
                  execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                } catch (IllegalStateException e) {
                  // The server may be gone already; nothing is left to clean then.
                }
              },
              "drop-" + name);
      Runtime.getRuntime().addShutdownHook(drop);
    }

    private void execute(String sql) {
      try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
          Statement statement = connection.createStatement()) {
        statement.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(
            "cannot run '" + sql + "' on " + adminUrl + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * A new, empty database on the shared test server, for one test class.
   *
   * @throws IllegalStateException if no server can be had, or none is configured while {@code
   *     TELEMETRY_TEST_REQUIRE_SERVICES=true}
   */
  public static Database newDatabase() {
    Server server = sharedServer();
    Database database = server.createDatabase();
    server.dropAtExit(database);
    return database;
  }

  /** A description of where the shared server comes from, for logs. */
  public static synchronized String describeSharedServer() {
    return sharedServer().adminUrl();
  }

  private static synchronized Server sharedServer() {
    if (shared == null) {
      shared = startSharedServer();
    }
    return shared;
  }

  private static Server startSharedServer() {
    TestServices.requireConfigured(URL_VARIABLE, "PostgreSQL");
    String url = TestServices.env(URL_VARIABLE);
    if (url != null) {
      LOG.info("Test PostgreSQL: {} (from {})", url, URL_VARIABLE);
      return new Server(
          url,
          TestServices.env("TELEMETRY_TEST_DB_USER"),
          TestServices.env("TELEMETRY_TEST_DB_PASSWORD"));
    }
    if (TestServices.dockerPresent()) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
      container.start();
      LOG.info("Test PostgreSQL: Testcontainers {}", container.getJdbcUrl());
      return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
    }
    DedicatedServer embedded = startDedicated();
    LOG.info("Test PostgreSQL: embedded on port {}", embedded.port());
    return new Server(embedded.database().url(), "postgres", "postgres");
  }

  /**
   * Starts an embedded PostgreSQL of the caller's own, with its data in a temporary directory, to
   * stop and start at will; {@link DedicatedServer#close()} stops it and deletes the data.
   */
  public static DedicatedServer startDedicated() {
    return startDedicated(Path.of(System.getProperty("java.io.tmpdir")), Map.of());
  }

  /**
   * Starts an embedded PostgreSQL as {@link #startDedicated()} does, with its data in a new
   * directory under {@code parent} (under {@code /dev/shm}: a server whose data is in memory) and
   * {@code settings} on its command line, where they override the embedded defaults ({@code fsync}
   * and {@code synchronous_commit} off).
   */
  public static DedicatedServer startDedicated(Path parent, Map<String, String> settings) {
    try {
      Path data = Files.createTempDirectory(parent, "telemetry-test-pg");
      DedicatedServer server = new DedicatedServer(data, Map.copyOf(settings));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /** An embedded PostgreSQL that a test owns, stops and starts again on the same port and data. */
  public static final class DedicatedServer implements AutoCloseable {

    private final Path dataDirectory;
    private final Map<String, String> settings;
    private EmbeddedPostgres postgres;
    private int port;

    private DedicatedServer(Path dataDirectory, Map<String, String> settings) {
      this.dataDirectory = dataDirectory;
      this.settings = settings;
    }

    /** Starts the server, on the port it had before if it ran before. */
    public synchronized void start() {
      if (postgres != null) {
        return;
      }
      try {
        EmbeddedPostgres.Builder builder =
            EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200");
        settings.forEach(builder::setServerConfig);
        if (port != 0) {
          builder.setPort(port);
        }
        postgres = builder.start();
        port = postgres.getPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
    }

    /** Stops the server, as an outage would; its data stays. */
    public synchronized void stop() {
      if (postgres == null) {
        return;
      }
      try {
        postgres.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
      } finally {
        postgres = null;
      }
    }

    /** The server's port; stays the same across restarts. */
    public int port() {
      return port;
    }

    /** The {@code postgres} database of this server. */
    public Database database() {
      return new Database(
          "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
    }

    /** A new, empty database on this server. */
    public Database newDatabase() {
      return new Server(database().url(), "postgres", "postgres").createDatabase();
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
      stop();
      try (Stream<Path> files = Files.walk(dataDirectory)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", dataDirectory, e.toString());
      }
    }
  }

  static String withDatabase(String jdbcUrl, String database) {
    String prefix = "jdbc:";
    URI uri = URI.create(jdbcUrl.substring(prefix.length()));
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return prefix + uri.getScheme() + "://" + uri.getRawAuthority() + "/" + database + query;
  }
}
