package com.suse.telemetry.app;

import com.suse.telemetry.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The {@code telemetry} table locked against inserts from another connection until {@link
 * #close()}: submissions committed meanwhile stay in flight, as behind a slow database.
 */
final class LockedTable implements AutoCloseable {

  private final Connection connection;

  LockedTable(TestPostgres.Database database) throws SQLException {
    connection = database.connect();
    connection.setAutoCommit(false);
    try (Statement lock = connection.createStatement()) {
      lock.execute("LOCK TABLE telemetry IN SHARE ROW EXCLUSIVE MODE");
    }
  }

  /** Sessions waiting for the lock right now. */
  int waiting() throws SQLException {
    try (Statement count = connection.createStatement();
        var result =
            count.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database()")) {
      result.next();
      return result.getInt(1);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.rollback();
    connection.close();
  }
}
