package com.suse.telemetry.storage.postgres;

import java.sql.SQLException;

/** A JDBC failure on a plain-JDBC path, carried out of Jdbi's callbacks. */
final class UncheckedSqlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UncheckedSqlException(SQLException cause) {
    super(cause);
  }
}
