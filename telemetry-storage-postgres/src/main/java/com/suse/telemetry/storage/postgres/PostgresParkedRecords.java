package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryTypeId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The records parked for each sink (kept in {@code outbox_rejected}): listed with their reasons and
 * attempts, sent again (queued anew, with their attempts counted from zero), or dropped for good.
 * Thread-safe.
 */
public final class PostgresParkedRecords {

  /**
   * A parked record.
   *
   * @param sink the sink it was parked for
   * @param id the record's id in the {@code telemetry} table
   * @param time the record's time
   * @param type its telemetry type, or null when the record was deleted since
   * @param attempts how many times it was tried
   * @param parkedAt when it was parked
   * @param reason why the sink could not take it
   */
  public record ParkedRecord(
      String sink,
      long id,
      Instant time,
      TelemetryTypeId type,
      int attempts,
      Instant parkedAt,
      String reason) {}

  /**
   * Which parked records to act on.
   *
   * @param sink the sink they were parked for
   * @param ids their ids; empty for all of the sink's
   */
  public record Selection(String sink, List<Long> ids) {

    /** Checks the parts. */
    public Selection {
      requireNonNull(sink, "sink");
      ids = List.copyOf(ids);
    }

    /** Every record parked for {@code sink}. */
    public static Selection all(String sink) {
      return new Selection(sink, List.of());
    }
  }

  private final Jdbi jdbi;

  private PostgresParkedRecords(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The parked records of the migrated database at {@code dataSource}. */
  public static PostgresParkedRecords create(DataSource dataSource) {
    return new PostgresParkedRecords(Jdbi.create(requireNonNull(dataSource, "dataSource")));
  }

  /** At most {@code limit} records parked for {@code sink} (or any sink), oldest parked first. */
  public List<ParkedRecord> list(Optional<String> sink, int limit) {
    return PostgresCalls.translated(
        "list parked records",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            """
                            SELECT r.sink, r.telemetry_id, r.telemetry_time, r.attempts,
                                   r.rejected_at, r.reason,
                                   t.application, t.telemetry_type, t.schema_version
                            FROM outbox_rejected r
                            LEFT JOIN telemetry t
                              ON t.id = r.telemetry_id AND t.time = r.telemetry_time
                            WHERE CAST(:sink AS text) IS NULL OR r.sink = :sink
                            ORDER BY r.rejected_at, r.sink, r.telemetry_id
                            LIMIT :limit""")
                        .bind("sink", sink.orElse(null))
                        .bind("limit", limit)
                        .map(
                            (rs, ctx) ->
                                new ParkedRecord(
                                    rs.getString("sink"),
                                    rs.getLong("telemetry_id"),
                                    rs.getObject("telemetry_time", OffsetDateTime.class)
                                        .toInstant(),
                                    rs.getString("application") == null
                                        ? null
                                        : new TelemetryTypeId(
                                            rs.getString("application"),
                                            rs.getString("telemetry_type"),
                                            rs.getInt("schema_version")),
                                    rs.getInt("attempts"),
                                    rs.getObject("rejected_at", OffsetDateTime.class).toInstant(),
                                    rs.getString("reason")))
                        .list()));
  }

  /**
   * Queues the selected records for their sink again, as new entries (no attempts yet).
   *
   * @return how many were queued
   */
  public long retry(Selection selection) {
    return PostgresCalls.translated(
        "retry parked records",
        () ->
            jdbi.withHandle(
                handle ->
                    bind(
                            handle.createQuery(
                                """
                                WITH moved AS (
                                  DELETE FROM outbox_rejected
                                  WHERE sink = :sink AND (:all OR telemetry_id = ANY(CAST(:ids AS bigint[])))
                                  RETURNING sink, telemetry_id, telemetry_time
                                ), queued AS (
                                  INSERT INTO outbox (sink, telemetry_id, telemetry_time)
                                  SELECT sink, telemetry_id, telemetry_time FROM moved
                                  ON CONFLICT (sink, telemetry_id) DO NOTHING
                                  RETURNING 1
                                )
                                SELECT count(*) FROM moved"""),
                            selection)
                        .mapTo(Long.class)
                        .one()));
  }

  /**
   * Forgets the selected records for their sink: they are never sent to it.
   *
   * @return how many were dropped
   */
  public long drop(Selection selection) {
    return PostgresCalls.translated(
        "drop parked records",
        () ->
            jdbi.withHandle(
                handle ->
                    (long)
                        bind(
                                handle.createUpdate(
                                    "DELETE FROM outbox_rejected WHERE sink = :sink"
                                        + " AND (:all OR telemetry_id = ANY(CAST(:ids AS bigint[])))"),
                                selection)
                            .execute()));
  }

  private static <S extends SqlStatement<S>> S bind(S statement, Selection selection) {
    return statement
        .bind("sink", selection.sink())
        .bind("all", selection.ids().isEmpty())
        .bindArray("ids", Long.class, selection.ids());
  }
}
