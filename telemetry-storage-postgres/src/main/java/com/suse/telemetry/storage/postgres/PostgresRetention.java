package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes telemetry past a retention period, and envelope ids past the de-duplication window.
 *
 * <p>Months are dropped whole: {@link #dropOlderThan} detaches every monthly partition that ends by
 * the cut-off, together with the partition below the months (all of whose records are older still),
 * puts an empty partition below the months in their place, and only then counts and drops the
 * detached tables, so ingestion never waits on the drop itself. The detaching takes the table's
 * ACCESS EXCLUSIVE lock for a few catalog changes; it never waits for that lock longer than the
 * lock timeout (ingestion queues behind a waiting lock), and tries again a few times. {@code DETACH
 * PARTITION ... CONCURRENTLY} would not lock the table, but leaves the detached range without a
 * partition while it waits for older transactions, so records of that range could not be stored.
 *
 * <p>Records of the partition below the months (those of a database upgraded from the unpartitioned
 * table, and records dated before the first month) are deleted in small batches instead, while the
 * cut-off falls within it. Thread-safe.
 */
public final class PostgresRetention {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresRetention.class);
  private static final int BATCH = 10_000;
  private static final String EXPIRED_PREFIX = "telemetry_expired_";

  // The (application, telemetry_type) pairs of the before partition, one index probe each.
  private static final String TYPES_BEFORE =
      """
      WITH RECURSIVE types AS (
        (SELECT application, telemetry_type FROM telemetry_before
         ORDER BY application, telemetry_type LIMIT 1)
        UNION ALL
        SELECT next.application, next.telemetry_type
        FROM types,
             LATERAL (SELECT application, telemetry_type FROM telemetry_before b
                      WHERE (b.application, b.telemetry_type)
                            > (types.application, types.telemetry_type)
                      ORDER BY application, telemetry_type LIMIT 1) next
      )
      SELECT application, telemetry_type FROM types
      """;

  private static final String DELETE_BEFORE =
      """
      DELETE FROM telemetry_before WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM telemetry_before
        WHERE application = ? AND telemetry_type = ? AND time < ? LIMIT %d))
      """
          .formatted(BATCH);

  private final DataSource dataSource;
  private final PartitionMaintenance.LockPolicy policy;

  private PostgresRetention(DataSource dataSource, PartitionMaintenance.LockPolicy policy) {
    this.dataSource = dataSource;
    this.policy = policy;
  }

  /**
   * Retention in {@code dataSource}'s database, migrated by {@link PostgresMigrations}, waiting at
   * most 200 ms at a time for the table's lock.
   */
  public static PostgresRetention create(DataSource dataSource) {
    return new PostgresRetention(
        requireNonNull(dataSource, "dataSource"), PartitionMaintenance.LockPolicy.DEFAULT);
  }

  /**
   * The same, waiting at most {@code timeout} at a time for the table's lock (ingestion may queue
   * behind the wait for as long), trying {@code attempts} times.
   */
  public PostgresRetention withLockTimeout(Duration timeout, int attempts) {
    return new PostgresRetention(
        dataSource,
        new PartitionMaintenance.LockPolicy(timeout, attempts, policy.statementTimeout()));
  }

  /**
   * Removes the records older than {@code cutoff}: drops every monthly partition that ends by it
   * (records of the month in which it falls stay until their whole month is past), deletes those of
   * the partition below the months, and the rejections kept for records no longer stored. Logs one
   * line per dropped partition.
   *
   * @throws TelemetryException if PostgreSQL fails, or the table stays in use for longer than the
   *     lock timeout at every attempt (nothing is dropped then; the next run tries again)
   */
  public RetentionResult dropOlderThan(Instant cutoff) {
    requireNonNull(cutoff, "cutoff");
    try (PartitionMaintenance maintenance = PartitionMaintenance.begin(dataSource, policy)) {
      List<RetentionResult.DroppedPartition> dropped = new ArrayList<>(dropExpired(maintenance));
      List<TelemetryPartition> partitions = maintenance.partitions();
      List<TelemetryPartition> months =
          partitions.stream()
              .filter(p -> !p.isBefore() && !p.isAfter() && p.endsBy(cutoff))
              .toList();
      if (!months.isEmpty()) {
        Instant lowest = months.get(months.size() - 1).to();
        maintenance.underParentLock(
            "drop the partitions older than " + cutoff,
            statement -> {
              for (TelemetryPartition month : months) {
                detach(statement, month.name());
              }
              detach(statement, TelemetryPartition.BEFORE);
              statement.execute(
                  "CREATE TABLE telemetry_before PARTITION OF telemetry"
                      + " FOR VALUES FROM (MINVALUE) TO ("
                      + PartitionMaintenance.literal(lowest)
                      + ")");
              return null;
            });
        dropped.addAll(dropExpired(maintenance));
      }
      long deleted = deleteBefore(maintenance, cutoff);
      long rejections =
          maintenance.update(
              """
              DELETE FROM outbox_rejected r WHERE r.telemetry_time < ?
                AND NOT EXISTS (SELECT 1 FROM telemetry t
                                WHERE t.id = r.telemetry_id AND t.time = r.telemetry_time)""",
              cutoff.atOffset(ZoneOffset.UTC));
      LOG.info(
          "Retention before {}: {} partition(s) dropped, {} row(s) deleted from {}, {} rejection(s)"
              + " forgotten",
          cutoff,
          dropped.size(),
          deleted,
          TelemetryPartition.BEFORE,
          rejections);
      return new RetentionResult(dropped, deleted);
    } catch (SQLException e) {
      throw PartitionMaintenance.failure("remove the records older than " + cutoff, e);
    }
  }

  /**
   * Forgets the ids of envelopes received before {@code cutoff}, oldest first, in small batches: an
   * envelope re-sent with such an id is then stored again (its records are still duplicates while
   * they are stored).
   *
   * @return how many ids were forgotten
   * @throws TelemetryException if PostgreSQL fails
   */
  public long forgetEnvelopesReceivedBefore(Instant cutoff) {
    requireNonNull(cutoff, "cutoff");
    try (PartitionMaintenance maintenance = PartitionMaintenance.begin(dataSource, policy)) {
      long forgotten = 0;
      for (long batch = BATCH; batch == BATCH; ) {
        batch =
            maintenance.update(
                "DELETE FROM envelope WHERE ctid = ANY(ARRAY(SELECT ctid FROM envelope"
                    + " WHERE received_at < ? ORDER BY received_at LIMIT "
                    + BATCH
                    + "))",
                cutoff.atOffset(ZoneOffset.UTC));
        forgotten += batch;
      }
      LOG.info("Envelope ids received before {}: {} forgotten", cutoff, forgotten);
      return forgotten;
    } catch (SQLException e) {
      throw PartitionMaintenance.failure("forget envelope ids received before " + cutoff, e);
    }
  }

  private static void detach(Statement statement, String name) throws SQLException {
    String table = PartitionMaintenance.identifier(name);
    statement.execute("ALTER TABLE telemetry DETACH PARTITION " + table);
    statement.execute("ALTER TABLE " + table + " RENAME TO " + EXPIRED_PREFIX + table);
  }

  /**
   * Counts and drops the detached tables, including any left by a run that stopped before it could
   * drop them. They are no partitions any more: dropping them locks nothing that ingestion uses.
   */
  private static List<RetentionResult.DroppedPartition> dropExpired(
      PartitionMaintenance maintenance) throws SQLException {
    List<String> expired = new ArrayList<>();
    try (PreparedStatement statement =
            maintenance
                .connection()
                .prepareStatement(
                    "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE ?"
                        + " AND relnamespace = (SELECT relnamespace FROM pg_class"
                        + " WHERE oid = 'telemetry'::regclass) AND NOT relispartition"
                        + " ORDER BY relname <> ?, relname");
        ResultSet rows = query(statement, EXPIRED_PREFIX.replace("_", "\\_") + "%")) {
      while (rows.next()) {
        expired.add(rows.getString(1));
      }
    }
    List<RetentionResult.DroppedPartition> dropped = new ArrayList<>();
    for (String table : expired) {
      String name = table.substring(EXPIRED_PREFIX.length());
      long rows =
          maintenance.count("SELECT count(*) FROM " + PartitionMaintenance.identifier(table));
      maintenance.update("DROP TABLE " + PartitionMaintenance.identifier(table));
      LOG.info("Dropped partition {} ({} rows)", name, rows);
      dropped.add(new RetentionResult.DroppedPartition(name, rows));
    }
    return dropped;
  }

  private static ResultSet query(PreparedStatement statement, String pattern) throws SQLException {
    statement.setString(1, pattern);
    // The partition below the months first: it holds the oldest records.
    statement.setString(2, EXPIRED_PREFIX + TelemetryPartition.BEFORE);
    return statement.executeQuery();
  }

  /** Deletes the records of the partition below the months older than {@code cutoff}. */
  private static long deleteBefore(PartitionMaintenance maintenance, Instant cutoff)
      throws SQLException {
    List<String[]> types = new ArrayList<>();
    try (PreparedStatement statement = maintenance.connection().prepareStatement(TYPES_BEFORE);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        types.add(new String[] {rows.getString(1), rows.getString(2)});
      }
    }
    long deleted = 0;
    for (String[] type : types) {
      for (long batch = BATCH; batch == BATCH; ) {
        batch =
            maintenance.update(DELETE_BEFORE, type[0], type[1], cutoff.atOffset(ZoneOffset.UTC));
        deleted += batch;
      }
    }
    return deleted;
  }
}
