package com.suse.telemetry.bench;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.storage.postgres.RecordArrays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * K-COMMIT: PostgreSQL's own latency for the collector's work. A plain JDBC client commits the
 * records of each envelope (the rows the collector would store, into the same table, bound as the
 * collector binds them) in one transaction, {@code INSERT ... ON CONFLICT DO NOTHING}, on several
 * connections as pgbench would, at the collector's open-loop rate, its latency measured the same
 * way: from each transaction's intended start. The collector can add to this, never take from it.
 */
final class CommitCeiling {

  // Every row in one statement, as the collector sends them; no conflict target, so that it holds
  // whatever unique key the table has.
  private static final String INSERT =
      """
      INSERT INTO telemetry (application, telemetry_type, schema_version, time, time_nanos,
                             received_at, identity, payload)
      SELECT r.application, r.telemetry_type, r.schema_version, r.time, r.time_nanos,
             r.received_at, r.identity, r.payload::jsonb
      FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[]),
                  CAST(? AS timestamptz[]), CAST(? AS integer[]), CAST(? AS timestamptz[]),
                  CAST(? AS uuid[]), CAST(? AS text[]))
           AS r(application, telemetry_type, schema_version, time, time_nanos, received_at,
                identity, payload)
      ON CONFLICT DO NOTHING
      """;

  private CommitCeiling() {}

  /**
   * Commits one transaction per envelope of {@code envelopes} at {@code rate} per second for {@code
   * seconds}, on {@code connections} connections.
   *
   * @throws IllegalStateException if a transaction failed: a ceiling that failed measured nothing
   */
  static LoadResult measure(
      BenchmarkDatabase database, Envelopes envelopes, double rate, int connections, double seconds)
      throws InterruptedException {
    AtomicReference<SQLException> failure = new AtomicReference<>();
    LoadResult result =
        Load.openLoop(
            () -> Transactions.open(database, failure),
            () -> BenchmarkDatabase.records(envelopes.next()),
            rate,
            connections,
            seconds,
            CpuTicks.machine());
    if (failure.get() != null) {
      throw new IllegalStateException(
          result.tally().other()
              + " K-COMMIT transactions failed, the first with: "
              + failure.get().getMessage(),
          failure.get());
    }
    return result;
  }

  /** One connection committing one envelope's records per transaction. */
  private static final class Transactions implements Channel<List<TelemetryRecord>> {

    private final Connection connection;
    private final PreparedStatement insert;
    private final AtomicReference<SQLException> failure;

    private Transactions(
        Connection connection, PreparedStatement insert, AtomicReference<SQLException> failure) {
      this.connection = connection;
      this.insert = insert;
      this.failure = failure;
    }

    static Transactions open(BenchmarkDatabase database, AtomicReference<SQLException> failure) {
      try {
        Connection connection = database.connect();
        connection.setAutoCommit(false);
        return new Transactions(connection, connection.prepareStatement(INSERT), failure);
      } catch (SQLException e) {
        throw new IllegalStateException("K-COMMIT cannot connect: " + e.getMessage(), e);
      }
    }

    @Override
    public Outcome send(List<TelemetryRecord> records) {
      try {
        RecordArrays.bind(insert, 1, records);
        insert.executeUpdate();
        connection.commit();
        return Outcome.ACCEPTED;
      } catch (SQLException e) {
        failure.compareAndSet(null, e);
        rollback();
        return Outcome.OTHER;
      }
    }

    private void rollback() {
      try {
        connection.rollback();
      } catch (SQLException e) {
        // The connection broke; the next transaction fails as well and is counted.
      }
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException e) {
        // Closing after the measurement: nothing is lost.
      }
    }
  }
}
