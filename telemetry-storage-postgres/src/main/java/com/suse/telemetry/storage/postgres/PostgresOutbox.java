package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.spi.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The outbox on PostgreSQL: the {@code outbox} table, which the store fills for every enabled sink
 * in the transaction that stores the records. A claim leases a batch in one short transaction
 * ({@code FOR UPDATE SKIP LOCKED}, so that replicas claim different entries; a lease owner and
 * expiry, so that a dead replica's batch is claimed again once the lease runs out); a settlement
 * removes, parks (into {@code outbox_rejected}), counts and releases in another. Nothing is held in
 * between: no transaction, lock or pooled connection while the sink works. Thread-safe.
 */
public final class PostgresOutbox implements Outbox {

  private static final int MAX_REASON_LENGTH = 2000;

  // Entries whose record was deleted (by retention) come back with a null id, to be dropped. The
  // record's time leads the join to the one partition that holds it.
  private static final String CLAIM =
      """
      WITH picked AS (
        SELECT telemetry_id FROM outbox
        WHERE sink = :sink AND (lease_expires_at IS NULL OR lease_expires_at <= now())
        ORDER BY seq
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
      ), leased AS (
        UPDATE outbox o
        SET lease_owner = :lease, lease_expires_at = now() + :leaseMillis * interval '1 millisecond'
        FROM picked
        WHERE o.sink = :sink AND o.telemetry_id = picked.telemetry_id
        RETURNING o.telemetry_id, o.telemetry_time, o.seq, o.attempts, o.failing_since
      )
      SELECT l.telemetry_id AS outbox_id, l.attempts, l.failing_since, t.id AS telemetry_id,
             t.application, t.telemetry_type, t.schema_version, t.time, t.time_nanos,
             t.received_at, t.identity, t.payload::text AS payload
      FROM leased l
      LEFT JOIN telemetry t ON t.id = l.telemetry_id AND t.time = l.telemetry_time
      ORDER BY l.seq
      """;

  private static final String PARK =
      """
      WITH gone AS (
        DELETE FROM outbox o
        USING unnest(CAST(:ids AS bigint[])) AS p(id)
        WHERE o.sink = :sink AND o.telemetry_id = p.id
        RETURNING o.telemetry_id, o.telemetry_time
      )
      INSERT INTO outbox_rejected (sink, telemetry_id, telemetry_time, reason, attempts)
      SELECT :sink, g.telemetry_id, g.telemetry_time, p.reason, p.attempts
      FROM gone g
      JOIN unnest(CAST(:ids AS bigint[]), CAST(:reasons AS text[]), CAST(:attempts AS integer[]))
           AS p(id, reason, attempts) ON p.id = g.telemetry_id
      ON CONFLICT (sink, telemetry_id) DO UPDATE
      SET reason = excluded.reason, attempts = excluded.attempts, rejected_at = now()
      """;

  private static final String FAIL =
      """
      UPDATE outbox o
      SET attempts = o.attempts + 1, failing_since = f.since, last_error = f.reason,
          lease_owner = NULL, lease_expires_at = NULL
      FROM unnest(CAST(:ids AS bigint[]), CAST(:reasons AS text[]), CAST(:since AS timestamptz[]))
           AS f(id, reason, since)
      WHERE o.sink = :sink AND o.telemetry_id = f.id AND o.lease_owner = :lease
      """;

  private static final String RELEASE =
      """
      UPDATE outbox SET lease_owner = NULL, lease_expires_at = NULL
      WHERE sink = :sink AND telemetry_id = ANY(CAST(:ids AS bigint[])) AND lease_owner = :lease
      """;

  private static final String LAG =
      """
      SELECT (SELECT count(*) FROM outbox WHERE sink = :sink) AS pending,
             (SELECT extract(epoch FROM now() - queued_at) FROM outbox
              WHERE sink = :sink ORDER BY seq LIMIT 1) AS oldest_seconds,
             (SELECT count(*) FROM outbox_rejected WHERE sink = :sink) AS parked
      """;

  private final Jdbi jdbi;
  private final PostgresCalls calls;

  private PostgresOutbox(Jdbi jdbi, PostgresAvailability availability) {
    this.jdbi = jdbi;
    this.calls = new PostgresCalls(availability);
  }

  /**
   * The outbox of the migrated database at {@code dataSource}; every call tries PostgreSQL, waiting
   * up to the pool's connection timeout when it is down.
   */
  public static PostgresOutbox create(DataSource dataSource) {
    return create(dataSource, null);
  }

  /**
   * The outbox like {@link #create(DataSource)}, failing at once, without waiting on the pool,
   * while {@code availability} knows PostgreSQL to be down (or not yet ready).
   */
  public static PostgresOutbox create(DataSource dataSource, PostgresAvailability availability) {
    requireNonNull(dataSource, "dataSource");
    return new PostgresOutbox(
        Jdbi.create(dataSource).installPlugin(new PostgresPlugin()), availability);
  }

  /** A claimed row: its entry, or only its id when the record was deleted since. */
  private record Row(long id, Entry entry) {}

  @Override
  public Claim claim(String sink, int limit, Duration leaseTime) {
    requireNonNull(sink, "sink");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more");
    }
    UUID lease = UUID.randomUUID();
    List<Entry> entries =
        calls.withRetries(
            "claim from the outbox",
            () ->
                jdbi.inTransaction(
                    handle -> {
                      List<Row> rows = claim(handle, sink, limit, leaseTime, lease);
                      List<Long> orphans = new ArrayList<>();
                      List<Entry> claimed = new ArrayList<>();
                      for (Row row : rows) {
                        if (row.entry() == null) {
                          orphans.add(row.id());
                        } else {
                          claimed.add(row.entry());
                        }
                      }
                      if (!orphans.isEmpty()) {
                        handle
                            .createUpdate(
                                "DELETE FROM outbox WHERE sink = :sink"
                                    + " AND telemetry_id = ANY(CAST(:ids AS bigint[]))")
                            .bind("sink", sink)
                            .bindArray("ids", Long.class, orphans)
                            .execute();
                      }
                      return claimed;
                    }));
    return new Claim(sink, lease, entries);
  }

  private static List<Row> claim(
      Handle handle, String sink, int limit, Duration leaseTime, UUID lease) {
    return handle
        .createQuery(CLAIM)
        .bind("sink", sink)
        .bind("limit", limit)
        .bind("lease", lease)
        .bind("leaseMillis", Math.max(1, leaseTime.toMillis()))
        .map(
            (rs, ctx) -> {
              long id = rs.getLong("outbox_id");
              if (rs.getObject("telemetry_id") == null) {
                return new Row(id, null);
              }
              TelemetryTypeId type =
                  new TelemetryTypeId(
                      rs.getString("application"),
                      rs.getString("telemetry_type"),
                      rs.getInt("schema_version"));
              OffsetDateTime time = rs.getObject("time", OffsetDateTime.class);
              OffsetDateTime failingSince = rs.getObject("failing_since", OffsetDateTime.class);
              TelemetryRecord record =
                  new TelemetryRecord(
                      type,
                      Instant.ofEpochSecond(time.toEpochSecond(), rs.getInt("time_nanos")),
                      rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                      rs.getObject("identity", UUID.class).toString().replace("-", ""),
                      rs.getString("payload"));
              int attempts = rs.getInt("attempts");
              return new Row(
                  id,
                  new Entry(
                      id,
                      record,
                      attempts,
                      attempts == 0
                          ? null
                          : failingSince == null ? Instant.EPOCH : failingSince.toInstant()));
            })
        .list();
  }

  @Override
  public void settle(Claim claim, Settlement settlement) {
    requireNonNull(claim, "claim");
    requireNonNull(settlement, "settlement");
    String sink = claim.sink();
    // Repeating a settlement does no harm: each statement finds done what it did before.
    calls.withRetries(
        "settle outbox entries",
        () ->
            jdbi.inTransaction(
                handle -> {
                  if (!settlement.delivered().isEmpty()) {
                    handle
                        .createUpdate(
                            "DELETE FROM outbox WHERE sink = :sink"
                                + " AND telemetry_id = ANY(CAST(:ids AS bigint[]))")
                        .bind("sink", sink)
                        .bindArray("ids", Long.class, List.copyOf(settlement.delivered()))
                        .execute();
                  }
                  if (!settlement.parked().isEmpty()) {
                    handle
                        .createUpdate(PARK)
                        .bind("sink", sink)
                        .bindArray(
                            "ids",
                            Long.class,
                            settlement.parked().stream().map(Parking::id).toList())
                        .bindArray(
                            "reasons",
                            String.class,
                            settlement.parked().stream().map(p -> bounded(p.reason())).toList())
                        .bindArray(
                            "attempts",
                            Integer.class,
                            settlement.parked().stream().map(Parking::attempts).toList())
                        .execute();
                  }
                  if (!settlement.failed().isEmpty()) {
                    handle
                        .createUpdate(FAIL)
                        .bind("sink", sink)
                        .bind("lease", claim.lease())
                        .bindArray(
                            "ids",
                            Long.class,
                            settlement.failed().stream().map(Failure::id).toList())
                        .bindArray(
                            "reasons",
                            String.class,
                            settlement.failed().stream().map(f -> bounded(f.reason())).toList())
                        .bindArray(
                            "since",
                            OffsetDateTime.class,
                            settlement.failed().stream()
                                .map(f -> f.failingSince().atOffset(ZoneOffset.UTC))
                                .toList())
                        .execute();
                  }
                  handle
                      .createUpdate(RELEASE)
                      .bind("sink", sink)
                      .bind("lease", claim.lease())
                      .bindArray(
                          "ids", Long.class, claim.entries().stream().map(Entry::id).toList())
                      .execute();
                  return null;
                }));
  }

  @Override
  public Lag lag(String sink) {
    requireNonNull(sink, "sink");
    return calls.once(
        "measure the outbox",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(LAG)
                        .bind("sink", sink)
                        .map(
                            (rs, ctx) ->
                                new Lag(
                                    rs.getLong("pending"),
                                    Duration.ofNanos(
                                        Math.max(0, (long) (rs.getDouble("oldest_seconds") * 1e9))),
                                    rs.getLong("parked")))
                        .one()));
  }

  private static String bounded(String reason) {
    return reason.length() <= MAX_REASON_LENGTH
        ? reason
        : reason.substring(0, MAX_REASON_LENGTH) + "...";
  }
}
