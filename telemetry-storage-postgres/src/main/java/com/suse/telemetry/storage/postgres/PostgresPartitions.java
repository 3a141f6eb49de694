package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the monthly partitions of the {@code telemetry} table ahead of need. Run {@link #ensure}
 * at start-up and then periodically (hourly, say): it creates every month from the last one that
 * exists up to {@code monthsAhead} months after the current one, so inserts never create a
 * partition and no record can make the collector create one.
 *
 * <p>Records dated past the last month wait in the {@code telemetry_after} partition; creating a
 * month moves those that fall in it. Several collectors may run it at once: they take turns, and
 * the later ones find nothing to do. Thread-safe.
 */
public final class PostgresPartitions {

  /** Months created beyond the current one by default. */
  public static final int DEFAULT_MONTHS_AHEAD = 3;

  private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitions.class);

  private final DataSource dataSource;
  private final int monthsAhead;
  private final PartitionMaintenance.LockPolicy policy;

  private PostgresPartitions(
      DataSource dataSource, int monthsAhead, PartitionMaintenance.LockPolicy policy) {
    this.dataSource = dataSource;
    this.monthsAhead = monthsAhead;
    this.policy = policy;
  }

  /**
   * Maintenance of the partitions in {@code dataSource}'s database, migrated by {@link
   * PostgresMigrations}: {@value #DEFAULT_MONTHS_AHEAD} months ahead, waiting at most 200 ms at a
   * time for the table's lock.
   */
  public static PostgresPartitions create(DataSource dataSource) {
    return new PostgresPartitions(
        requireNonNull(dataSource, "dataSource"),
        DEFAULT_MONTHS_AHEAD,
        PartitionMaintenance.LockPolicy.DEFAULT);
  }

  /** The same, creating {@code months} (0 to 120) months beyond the current one. */
  public PostgresPartitions withMonthsAhead(int months) {
    if (months < 0 || months > 120) {
      throw new IllegalArgumentException("monthsAhead must be 0 to 120, was " + months);
    }
    return new PostgresPartitions(dataSource, months, policy);
  }

  /**
   * The same, waiting at most {@code timeout} at a time for the table's lock (ingestion may queue
   * behind the wait for as long), trying {@code attempts} times.
   */
  public PostgresPartitions withLockTimeout(Duration timeout, int attempts) {
    return new PostgresPartitions(
        dataSource,
        monthsAhead,
        new PartitionMaintenance.LockPolicy(timeout, attempts, policy.statementTimeout()));
  }

  /**
   * Creates the monthly partitions missing up to {@code monthsAhead} months after the month of
   * {@code now} (UTC), moving the records of those months out of the after partition.
   *
   * @return the names of the partitions created, oldest first; empty when all existed
   * @throws TelemetryException if PostgreSQL fails, or the table stays in use for longer than the
   *     lock timeout at every attempt (nothing is created then; the next run tries again)
   */
  public List<String> ensure(Instant now) {
    YearMonth last = YearMonth.from(now.atOffset(ZoneOffset.UTC)).plusMonths(monthsAhead);
    try (PartitionMaintenance maintenance = PartitionMaintenance.begin(dataSource, policy)) {
      TelemetryPartition after = maintenance.partition(TelemetryPartition.AFTER);
      YearMonth first = YearMonth.from(after.from().atOffset(ZoneOffset.UTC));
      if (!TelemetryPartition.start(first).equals(after.from())) {
        throw new TelemetryException(
            "the after partition starts at "
                + after.from()
                + ", not at the start of a month: was it changed by hand?");
      }
      List<TelemetryPartition> months = new ArrayList<>();
      for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
        months.add(TelemetryPartition.month(month));
      }
      if (months.isEmpty()) {
        return List.of();
      }
      Instant end = months.get(months.size() - 1).to();
      long moved =
          maintenance.underParentLock(
              "create the partitions up to " + last,
              statement -> {
                statement.execute("ALTER TABLE telemetry DETACH PARTITION telemetry_after");
                for (TelemetryPartition month : months) {
                  statement.execute(
                      "CREATE TABLE "
                          + PartitionMaintenance.identifier(month.name())
                          + " PARTITION OF telemetry FOR VALUES FROM ("
                          + PartitionMaintenance.literal(month.from())
                          + ") TO ("
                          + PartitionMaintenance.literal(month.to())
                          + ")");
                }
                long rows =
                    statement.executeLargeUpdate(
                        "WITH moved AS (DELETE FROM telemetry_after WHERE time < "
                            + PartitionMaintenance.literal(end)
                            + " RETURNING "
                            + PartitionMaintenance.COLUMNS
                            + ") INSERT INTO telemetry ("
                            + PartitionMaintenance.COLUMNS
                            + ") OVERRIDING SYSTEM VALUE SELECT "
                            + PartitionMaintenance.COLUMNS
                            + " FROM moved");
                statement.execute(
                    "ALTER TABLE telemetry ATTACH PARTITION telemetry_after FOR VALUES FROM ("
                        + PartitionMaintenance.literal(end)
                        + ") TO (MAXVALUE)");
                return rows;
              });
      List<String> names = months.stream().map(TelemetryPartition::name).toList();
      LOG.info(
          "Created partitions {}; {} record(s) moved into them from {}",
          names,
          moved,
          TelemetryPartition.AFTER);
      return names;
    } catch (SQLException e) {
      throw PartitionMaintenance.failure("read the telemetry partitions", e);
    }
  }

  /** The partitions of the telemetry table, oldest first. */
  List<TelemetryPartition> partitions() {
    try (PartitionMaintenance maintenance = PartitionMaintenance.begin(dataSource, policy)) {
      return maintenance.partitions();
    } catch (SQLException e) {
      throw PartitionMaintenance.failure("read the telemetry partitions", e);
    }
  }
}
