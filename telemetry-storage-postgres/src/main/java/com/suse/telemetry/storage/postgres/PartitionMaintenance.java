package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.TelemetryException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One maintenance run on the partitions of the {@code telemetry} table, on a connection of its own.
 * Collectors running side by side take turns through a session advisory lock, held for the whole
 * run. Changes to the partitions happen in short transactions under the parent table's ACCESS
 * EXCLUSIVE lock: they never wait for that lock longer than the lock timeout, so that ingestion
 * never queues behind them for long, and are tried again a few times with pauses.
 */
final class PartitionMaintenance implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintenance.class);
  // Any constant works: it only keeps collectors from maintaining the partitions at once.
  private static final long LOCK_KEY = 0x7e1e_7e7e_0002L;
  private static final Duration WAIT_FOR_OTHERS = Duration.ofSeconds(60);
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  /** The columns of the telemetry table, to copy rows between its partitions. */
  static final String COLUMNS =
      "id, application, telemetry_type, time, payload, schema_version, received_at, time_nanos,"
          + " identity";

  private static final String PARTITIONS =
      """
      SELECT c.relname AS name,
             CASE WHEN b[1] <> 'MINVALUE' THEN btrim(b[1], '''')::timestamptz END AS from_time,
             CASE WHEN b[2] <> 'MAXVALUE' THEN btrim(b[2], '''')::timestamptz END AS to_time
      FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid,
           regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\((.*)\\) TO \\((.*)\\)') AS b
      WHERE i.inhparent = 'telemetry'::regclass
      """;

  /** How changes under the parent's lock wait for it. */
  record LockPolicy(Duration lockTimeout, int attempts, Duration statementTimeout) {
    // Twenty tries, 2 s apart at most, span about half a minute: a checkpoint that slows every
    // commit for tens of seconds (the benchmark's retention measurement met one) outlasts a few.
    static final LockPolicy DEFAULT =
        new LockPolicy(Duration.ofMillis(200), 20, Duration.ofSeconds(2));

    LockPolicy {
      if (lockTimeout.toMillis() < 1 || attempts < 1 || statementTimeout.toMillis() < 1) {
        throw new IllegalArgumentException(
            "a lock timeout and statement timeout of 1 ms or more, and 1 attempt or more");
      }
    }
  }

  /** Work done in one transaction under the parent's lock. */
  interface Change<T> {
    T apply(Statement statement) throws SQLException;
  }

  private final Connection connection;
  private final LockPolicy policy;

  private PartitionMaintenance(Connection connection, LockPolicy policy) {
    this.connection = connection;
    this.policy = policy;
  }

  /**
   * Starts a run, once no other collector is running one.
   *
   * @throws TelemetryException if another collector's run goes on for longer than a minute, or
   *     PostgreSQL fails
   */
  static PartitionMaintenance begin(DataSource dataSource, LockPolicy policy) {
    Connection connection = null;
    try {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL lock_timeout = '" + WAIT_FOR_OTHERS.toMillis() + "ms'");
        statement.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
      }
      connection.commit();
      connection.setAutoCommit(true);
      return new PartitionMaintenance(connection, policy);
    } catch (SQLException e) {
      closeQuietly(connection);
      throw failure("start maintaining the telemetry partitions", e);
    }
  }

  /** The partitions of the telemetry table, oldest first. */
  List<TelemetryPartition> partitions() throws SQLException {
    List<TelemetryPartition> partitions = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(PARTITIONS)) {
      while (rows.next()) {
        partitions.add(
            new TelemetryPartition(
                rows.getString("name"),
                instant(rows.getObject("from_time", OffsetDateTime.class)),
                instant(rows.getObject("to_time", OffsetDateTime.class))));
      }
    }
    partitions.sort(
        Comparator.comparing(
            TelemetryPartition::from, Comparator.nullsFirst(Comparator.naturalOrder())));
    return partitions;
  }

  /** The partition named {@code name}. */
  TelemetryPartition partition(String name) throws SQLException {
    return partitions().stream()
        .filter(partition -> partition.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new TelemetryException(
                    "the telemetry table has no partition " + name + ": was it changed by hand?"));
  }

  /**
   * Runs {@code change} in one transaction holding the telemetry table's ACCESS EXCLUSIVE lock,
   * taken first so that the change never waits for it while holding less. When the lock cannot be
   * had within the lock timeout, the transaction gives up (so that ingestion, queued behind it,
   * goes on) and is tried again after a pause.
   */
  <T> T underParentLock(String what, Change<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
          statement.execute("SET LOCAL TIME ZONE 'UTC'");
          statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeout().toMillis() + "ms'");
          statement.execute(
              "SET LOCAL statement_timeout = '" + policy.statementTimeout().toMillis() + "ms'");
          statement.execute("LOCK TABLE telemetry IN ACCESS EXCLUSIVE MODE");
          T result = change.apply(statement);
          connection.commit();
          return result;
        }
      } catch (RuntimeException e) {
        // Before auto-commit is turned back on, which would commit what was done.
        rollbackQuietly();
        throw e;
      } catch (SQLException e) {
        rollbackQuietly();
        if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || attempt >= policy.attempts()) {
          throw failure(what, e);
        }
        LOG.info(
            "Cannot {} yet: the telemetry table is in use for longer than {} ms; trying again",
            what,
            policy.lockTimeout().toMillis());
        pause(attempt);
      } finally {
        autoCommit();
      }
    }
  }

  /** Runs {@code sql} on its own, outside any transaction of this run. */
  long update(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.executeLargeUpdate();
    }
  }

  /** Runs {@code sql}, a query of one row and one number. */
  long count(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }

  /** The connection of this run, for queries of its own. */
  Connection connection() {
    return connection;
  }

  @Override
  public void close() {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
    } catch (SQLException e) {
      // A pooled connection would keep the lock: end the session instead.
      LOG.warn("cannot release the maintenance lock, closing its session: {}", e.toString());
      try {
        connection.abort(Runnable::run);
      } catch (SQLException aborted) {
        LOG.debug("cannot abort the connection: {}", aborted.toString());
      }
    }
    closeQuietly(connection);
  }

  /** An SQL literal of {@code instant}, read the same in any time zone. */
  static String literal(Instant instant) {
    return "'" + instant + "'";
  }

  /** An SQL identifier; partition names are made by this module from digits and letters. */
  static String identifier(String name) {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a partition name: " + name);
    }
    return name;
  }

  static TelemetryException failure(String what, SQLException e) {
    return new TelemetryException(
        String.format(
            Locale.ROOT,
            "PostgreSQL failed to %s: %s (SQLSTATE %s)",
            what,
            e.getMessage(),
            e.getSQLState()),
        e);
  }

  private void pause(int attempt) {
    try {
      Thread.sleep(Math.min(2_000L, 250L << (attempt - 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TelemetryException("interrupted while maintaining the telemetry partitions", e);
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.debug("rollback failed: {}", e.toString());
    }
  }

  private void autoCommit() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.debug("cannot reset auto-commit: {}", e.toString());
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("cannot close a connection: {}", e.toString());
    }
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
