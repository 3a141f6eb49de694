package com.suse.telemetry.storage.postgres;

import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.util.function.Supplier;
import org.jdbi.v3.core.JdbiException;

/**
 * Calls to PostgreSQL as the store makes them: failing at once while PostgreSQL is known to be
 * down, an outage translated to {@link StoreUnavailableException}, and a call that failed on a
 * conflict or a broken pooled connection tried again. Thread-safe.
 */
final class PostgresCalls {

  private static final int ATTEMPTS = 3;

  private final PostgresAvailability availability;

  /** Calls that ask {@code availability} (null: none; every call then tries PostgreSQL). */
  PostgresCalls(PostgresAvailability availability) {
    this.availability = availability;
  }

  /**
   * Runs {@code operation} again when it failed on a deadlock, a serialization conflict, or a
   * pooled connection that broke while idle (as after a PostgreSQL restart), as long as PostgreSQL
   * answers; only for operations that are safe to repeat. Fails at once while PostgreSQL is known
   * to be down.
   */
  <T> T withRetries(String what, Supplier<T> operation) {
    for (int attempt = 1; ; attempt++) {
      requireUp();
      try {
        return translated(what, operation);
      } catch (StoreUnavailableException e) {
        boolean answers = availability == null || availability.check();
        if (attempt >= ATTEMPTS || !answers || !PostgresFailures.isWorthRetrying(e)) {
          throw e;
        }
      }
    }
  }

  /** Runs {@code operation} once, failing at once while PostgreSQL is known to be down. */
  <T> T once(String what, Supplier<T> operation) {
    requireUp();
    return translated(what, operation);
  }

  private void requireUp() {
    if (availability != null) {
      availability.requireUp();
    }
  }

  /** Runs {@code operation}, its failure translated to the core's exceptions. */
  static <T> T translated(String what, Supplier<T> operation) {
    try {
      return operation.get();
    } catch (JdbiException | UncheckedSqlException e) {
      throw PostgresFailures.translate(what, e);
    }
  }
}
