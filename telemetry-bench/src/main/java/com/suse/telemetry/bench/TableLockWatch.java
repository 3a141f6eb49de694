package com.suse.telemetry.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches, from a connection of its own, for how long the {@code telemetry} table's ACCESS
 * EXCLUSIVE lock is held or waited for: the time ingestion cannot insert (a waiting request for it
 * queues every insert behind it). PostgreSQL logs no such thing for a role that is not a superuser,
 * so {@code pg_locks} is sampled every few milliseconds. Each time a lock is seen, it is counted
 * from the start of its transaction ({@code pg_stat_activity.xact_start}) to the first sample
 * without it, on the server's clock: an upper bound, too long by at most one sampling gap.
 */
final class TableLockWatch implements AutoCloseable {

  private static final Duration INTERVAL = Duration.ofMillis(5);

  // The lock on this database's telemetry table, requested or held by another session.
  private static final String SAMPLE =
      """
      SELECT clock_timestamp(),
             (SELECT count(*) FROM pg_locks l
              WHERE l.locktype = 'relation' AND l.relation = 'telemetry'::regclass
                AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid()),
             (SELECT min(a.xact_start) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'relation' AND l.relation = 'telemetry'::regclass
                AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND l.mode = 'AccessExclusiveLock' AND l.pid <> pg_backend_pid())
      """;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final CompletableFuture<Measurements.TableLock> watched;

  private TableLockWatch(Connection connection) {
    this.watched =
        CompletableFuture.supplyAsync(
            () -> {
              try (connection;
                  Statement statement = connection.createStatement()) {
                return watch(statement);
              } catch (SQLException e) {
                throw new IllegalStateException("cannot sample pg_locks: " + e.getMessage(), e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sampling pg_locks", e);
              }
            },
            task -> {
              Thread thread = new Thread(task, "table-lock-watch");
              thread.setDaemon(true);
              thread.start();
            });
  }

  /** Starts watching the table of {@code database}. */
  static TableLockWatch start(BenchmarkDatabase database) throws SQLException {
    return new TableLockWatch(database.connect());
  }

  private Measurements.TableLock watch(Statement statement)
      throws SQLException, InterruptedException {
    List<Double> episodes = new ArrayList<>();
    OffsetDateTime previous = null;
    OffsetDateTime lockedSince = null;
    double longestGap = 0;
    // One last sample after the stop, so that a lock still held then is seen to end or not.
    for (boolean last = false; ; last = stop.get()) {
      OffsetDateTime now;
      boolean locked;
      OffsetDateTime transactionStart;
      try (ResultSet sample = statement.executeQuery(SAMPLE)) {
        sample.next();
        now = sample.getObject(1, OffsetDateTime.class);
        locked = sample.getLong(2) > 0;
        transactionStart = sample.getObject(3, OffsetDateTime.class);
      }
      if (previous != null) {
        longestGap = Math.max(longestGap, millisBetween(previous, now));
      }
      if (locked && lockedSince == null) {
        // A session that is not ours may hide its transaction start: then the last sample
        // without the lock bounds it.
        lockedSince =
            transactionStart != null ? transactionStart : previous != null ? previous : now;
      } else if (!locked && lockedSince != null) {
        episodes.add(millisBetween(lockedSince, now));
        lockedSince = null;
      }
      previous = now;
      if (last) {
        break;
      }
      Thread.sleep(INTERVAL.toMillis());
    }
    boolean stillLocked = lockedSince != null;
    if (stillLocked) {
      episodes.add(millisBetween(lockedSince, previous));
    }
    return new Measurements.TableLock(episodes, longestGap, stillLocked);
  }

  private static double millisBetween(OffsetDateTime from, OffsetDateTime to) {
    return ChronoUnit.MICROS.between(from, to) / 1000.0;
  }

  /** Stops watching, and says for how long the lock was held or waited for. */
  Measurements.TableLock stop() throws InterruptedException {
    stop.set(true);
    try {
      return watched.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("watching the table's lock failed", e.getCause());
    }
  }

  @Override
  public void close() {
    stop.set(true);
  }
}
