package com.suse.telemetry.bench;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.testkit.TelemetryCopy;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A database the collector stores into, as the benchmark sees it: emptied between measurements,
 * filled by COPY, described for the report.
 */
final class BenchmarkDatabase {

  private static final int COPY_CHUNK = 50_000;
  private static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final TestPostgres.Database database;

  private BenchmarkDatabase(TestPostgres.Database database) {
    this.database = database;
  }

  static BenchmarkDatabase of(TestPostgres.Database database) {
    return new BenchmarkDatabase(database);
  }

  TestPostgres.Database database() {
    return database;
  }

  Connection connect() throws SQLException {
    return database.connect();
  }

  /** Empties every table the collector writes, so that each measurement starts alike. */
  void truncate() throws SQLException {
    execute("TRUNCATE telemetry, envelope, outbox, outbox_rejected");
  }

  void vacuumAnalyze() throws SQLException {
    execute("VACUUM ANALYZE telemetry");
  }

  /**
   * Writes out what a bulk load left dirty (a {@code CHECKPOINT}), as an operator would after one,
   * so that what is measured next sees the table as it runs from day to day rather than the load's
   * checkpoint still writing gigabytes and every page written again in full into the WAL after it.
   * It needs the {@code pg_checkpoint} role or a superuser.
   *
   * @return false if the role may not: what is measured next then pays for the load's checkpoint
   */
  boolean checkpoint() throws SQLException {
    try {
      execute("CHECKPOINT");
      return true;
    } catch (SQLException e) {
      if (INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }

  /** The server's version and the settings that decide what a commit costs. */
  String describe() throws SQLException {
    return describe("");
  }

  /** As {@link #describe()}, with {@code where} (its data, say) first in the parentheses. */
  String describe(String where) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      return "PostgreSQL "
          + value(statement, "SHOW server_version").split(" ")[0]
          + " ("
          + (where.isEmpty() ? "" : where + ", ")
          + "fsync "
          + value(statement, "SHOW fsync")
          + ", synchronous_commit "
          + value(statement, "SHOW synchronous_commit")
          + ")";
    }
  }

  /** {@code rows} new records from {@code envelopes}, as COPY's CSV in chunks. */
  static List<String> csvChunks(Envelopes envelopes, long rows) {
    List<String> chunks = new ArrayList<>();
    for (long done = 0; done < rows; done += COPY_CHUNK) {
      int chunk = (int) Math.min(COPY_CHUNK, rows - done);
      List<TelemetryRecord> records = new ArrayList<>(chunk + envelopes.records());
      while (records.size() < chunk) {
        records.addAll(records(envelopes.next()));
      }
      chunks.add(TelemetryCopy.csv(records.subList(0, chunk)));
    }
    return chunks;
  }

  /** The records the collector would store for {@code envelope}. */
  static List<TelemetryRecord> records(byte[] envelope) {
    ValidationResult result = TestTelemetry.validator().validate(envelope);
    if (!result.isValid()) {
      throw new IllegalStateException("generated envelope invalid: " + result.violations());
    }
    return result.submission().records();
  }

  /** COPYs {@code chunks} into the telemetry table, one after the other, on one connection. */
  void copy(List<String> chunks) throws SQLException, IOException {
    try (Connection connection = connect()) {
      for (String chunk : chunks) {
        TelemetryCopy.copy(connection, chunk);
      }
    }
  }

  /** The names of the telemetry table's partitions. */
  Set<String> partitionNames() throws SQLException {
    Set<String> names = new TreeSet<>();
    for (Measurements.PartitionRows partition : partitionRows()) {
      names.add(partition.partition());
    }
    return names;
  }

  /**
   * Each partition of the telemetry table and its rows, as the last VACUUM or ANALYZE estimated
   * them (counting millions of rows would take longer than measuring); by name, so by month.
   */
  List<Measurements.PartitionRows> partitionRows() throws SQLException {
    List<Measurements.PartitionRows> partitions = new ArrayList<>();
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT c.relname, greatest(c.reltuples, 0)::bigint FROM pg_inherits i"
                    + " JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'telemetry'::regclass ORDER BY c.relname")) {
      while (rows.next()) {
        partitions.add(new Measurements.PartitionRows(rows.getString(1), rows.getLong(2)));
      }
    }
    return partitions;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String value(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
