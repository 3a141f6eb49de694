package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Tells an outage, worth trying again later, from a failure of the collector itself. */
final class PostgresFailures {

  // SQLSTATE classes: connection exception, insufficient resources, operator intervention
  // (e.g. admin shutdown), system error, transaction rollback (deadlock, serialization).
  private static final Set<String> UNAVAILABLE_CLASSES = Set.of("08", "53", "57", "58", "40");

  private PostgresFailures() {}

  /**
   * The exception to throw for {@code failure}, a failed database operation described by {@code
   * what}.
   */
  static TelemetryException translate(String what, RuntimeException failure) {
    SQLException sql = sqlCause(failure);
    if (sql == null || isOutage(sql)) {
      String reason = sql == null ? failure.toString() : sql.getMessage();
      return new StoreUnavailableException(
          "PostgreSQL unavailable: cannot " + what + ": " + reason, failure);
    }
    return new TelemetryException(
        "PostgreSQL failed to "
            + what
            + ": "
            + sql.getMessage()
            + " (SQLSTATE "
            + sql.getSQLState()
            + ")",
        failure);
  }

  /**
   * The exception to throw for {@code failure} of a start-up step ({@code what}): unavailable only
   * when PostgreSQL cannot be reached yet; a refusal (wrong password, no such database) or any
   * other failure is final, and says why in one line.
   */
  static TelemetryException translateStartup(String what, RuntimeException failure) {
    SQLException sql = sqlCause(failure);
    if (sql != null && isOutage(sql)) {
      return new StoreUnavailableException(
          "PostgreSQL unavailable: cannot " + what + ": " + sql.getMessage(), failure);
    }
    String reason =
        sql == null
            ? failure.getMessage()
            : sql.getMessage() + " (SQLSTATE " + sql.getSQLState() + ")";
    return new TelemetryException("cannot " + what + ": " + reason, failure);
  }

  // Deadlock, serialization failure; a connection that broke or was closed by the server.
  private static final Set<String> RETRYABLE_STATES =
      Set.of("40P01", "40001", "08003", "08006", "57P01");

  /**
   * Whether an immediate retry may succeed: a transaction conflict, or a pooled connection found
   * broken (the pool then replaces it). Not a server that cannot be reached: the pool has already
   * waited its connection timeout for one.
   */
  static boolean isWorthRetrying(RuntimeException e) {
    SQLException sql = sqlCause(e);
    return sql != null && RETRYABLE_STATES.contains(sql.getSQLState());
  }

  private static boolean isOutage(SQLException sql) {
    String state = sql.getSQLState();
    return sql instanceof SQLTransientException
        || sql instanceof SQLRecoverableException
        || state == null
        || state.length() < 2
        || UNAVAILABLE_CLASSES.contains(state.substring(0, 2));
  }

  private static SQLException sqlCause(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        return sql;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
