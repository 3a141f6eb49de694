package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryTypeId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * Queues stored records for a sink again, over a range of record times and optionally one telemetry
 * type: after the sink was enabled later than the records were stored, or lost data. It walks the
 * {@code telemetry} table in chunks, in the order of its unique key (application, type, time,
 * identity), each chunk queued in one transaction with the position reached, kept in {@code
 * outbox_replay}: an interrupted replay of the same range resumes where it stopped; a finished one
 * starts over. A record already waiting for the sink is not queued twice. Thread-safe; one replay
 * of a range runs at a time.
 */
public final class PostgresReplay {

  /**
   * What to replay.
   *
   * @param sink the sink to queue records for
   * @param from the earliest record time, included
   * @param to the latest record time, excluded
   * @param application the records' application, or empty for all
   * @param telemetryType the records' telemetry type (of {@code application}), or empty for all
   */
  public record Range(
      String sink, Instant from, Instant to, String application, String telemetryType) {

    /** Checks the parts. */
    public Range {
      requireNonNull(sink, "sink");
      requireNonNull(from, "from");
      requireNonNull(to, "to");
      requireNonNull(application, "application");
      requireNonNull(telemetryType, "telemetryType");
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
      }
      if (application.isEmpty() != telemetryType.isEmpty()) {
        throw new IllegalArgumentException("a type needs both its application and its name");
      }
    }

    /** Every record of {@code sink} from {@code from} (included) to {@code to} (excluded). */
    public static Range of(String sink, Instant from, Instant to) {
      return new Range(sink, from, to, "", "");
    }

    /** The records of this range of one telemetry type (any schema version). */
    public Range ofType(String application, String telemetryType) {
      if (!TelemetryTypeId.isValidName(application)
          || !TelemetryTypeId.isValidName(telemetryType)) {
        throw new IllegalArgumentException(
            "a type is application/telemetry_type in lower-case snake case, was "
                + application
                + "/"
                + telemetryType);
      }
      return new Range(sink, from, to, application, telemetryType);
    }

    boolean allTypes() {
      return application.isEmpty();
    }
  }

  /**
   * How far a replay got.
   *
   * @param total records in the range when the replay started
   * @param walked records walked so far
   * @param queued records queued for the sink so far (those not waiting for it already)
   * @param resumed whether this run resumed an interrupted replay
   * @param finished whether the whole range was walked
   */
  public record Progress(long total, long walked, long queued, boolean resumed, boolean finished) {}

  /** Hears of a replay's progress after every chunk. */
  @FunctionalInterface
  public interface Listener {

    /** Called after every chunk, on the replaying thread. */
    void progress(Progress progress);
  }

  // Names the replay's row in outbox_replay.
  private static final String KEY =
      "sink = :sink AND from_time = :from AND to_time = :to AND application = :application"
          + " AND telemetry_type = :type";

  private final Jdbi jdbi;
  private final int chunk;

  private PostgresReplay(Jdbi jdbi, int chunk) {
    this.jdbi = jdbi;
    this.chunk = chunk;
  }

  /** Replays in the migrated database at {@code dataSource}, in chunks of 10,000 records. */
  public static PostgresReplay create(DataSource dataSource) {
    return create(dataSource, 10_000);
  }

  /** Replays in chunks of {@code chunk} records. */
  public static PostgresReplay create(DataSource dataSource, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be 1 or more");
    }
    return new PostgresReplay(
        Jdbi.create(requireNonNull(dataSource, "dataSource")).installPlugin(new PostgresPlugin()),
        chunk);
  }

  /**
   * Replays {@code range}, chunk after chunk, until it is walked or {@code keepGoing} says no
   * (asked after each chunk); then it can be resumed by running it again.
   *
   * @return how far it got
   * @throws IllegalStateException if a replay of the same range is running
   * @throws TelemetryException if PostgreSQL fails; what was queued stays queued, and the replay
   *     resumes from its last chunk
   */
  public Progress run(Range range, Listener listener, BooleanSupplier keepGoing) {
    requireNonNull(range, "range");
    requireNonNull(listener, "listener");
    requireNonNull(keepGoing, "keepGoing");
    return PostgresCalls.translated(
        "replay " + range,
        () ->
            jdbi.withHandle(
                lock -> {
                  // Held on a connection of its own for the whole run, and freed with it.
                  boolean locked =
                      lock.createQuery("SELECT pg_try_advisory_lock(hashtextextended(:key, 0))")
                          .bind("key", "telemetry-replay " + range)
                          .mapTo(Boolean.class)
                          .one();
                  if (!locked) {
                    throw new IllegalStateException(
                        "a replay of " + describe(range) + " is running");
                  }
                  try {
                    return walk(range, listener, keepGoing);
                  } finally {
                    lock.createQuery("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")
                        .bind("key", "telemetry-replay " + range)
                        .mapTo(Boolean.class)
                        .one();
                  }
                }));
  }

  private Progress walk(Range range, Listener listener, BooleanSupplier keepGoing) {
    Progress progress = jdbi.inTransaction(handle -> begin(handle, range));
    listener.progress(progress);
    while (!progress.finished() && keepGoing.getAsBoolean()) {
      boolean resumed = progress.resumed();
      progress = jdbi.inTransaction(handle -> step(handle, range, resumed));
      listener.progress(progress);
    }
    return progress;
  }

  /** The replay's row: resumed when unfinished, else (re)started with the range counted. */
  private static Progress begin(Handle handle, Range range) {
    Progress unfinished =
        bindKey(
                handle.createQuery(
                    "SELECT total, walked, queued FROM outbox_replay WHERE "
                        + KEY
                        + " AND finished_at IS NULL FOR UPDATE"),
                range)
            .map(
                (rs, ctx) ->
                    new Progress(
                        rs.getLong("total"),
                        rs.getLong("walked"),
                        rs.getLong("queued"),
                        true,
                        false))
            .findOne()
            .orElse(null);
    if (unfinished != null) {
      return unfinished;
    }
    long total =
        bindKey(
                handle.createQuery(
                    "SELECT count(*) FROM telemetry WHERE time >= :from AND time < :to"
                        + (range.allTypes()
                            ? ""
                            : " AND application = :application AND telemetry_type = :type")),
                range)
            .mapTo(Long.class)
            .one();
    bindKey(
            handle.createUpdate(
                """
                INSERT INTO outbox_replay (sink, from_time, to_time, application, telemetry_type,
                                           total)
                VALUES (:sink, :from, :to, :application, :type, :total)
                ON CONFLICT (sink, from_time, to_time, application, telemetry_type) DO UPDATE
                SET total = excluded.total, walked = 0, queued = 0, at_application = NULL,
                    at_telemetry_type = NULL, at_time = NULL, at_identity = NULL,
                    started_at = now(), updated_at = now(), finished_at = NULL"""),
            range)
        .bind("total", total)
        .execute();
    return new Progress(total, 0, 0, false, false);
  }

  /** Queues the next chunk and moves the position past it, in one statement. */
  private Progress step(Handle handle, Range range, boolean resumed) {
    Position at =
        bindKey(
                handle.createQuery(
                    "SELECT at_application, at_telemetry_type, at_time, at_identity"
                        + " FROM outbox_replay WHERE "
                        + KEY
                        + " FOR UPDATE"),
                range)
            .map(
                (rs, ctx) ->
                    rs.getString("at_application") == null
                        ? Position.START
                        : new Position(
                            rs.getString("at_application"),
                            rs.getString("at_telemetry_type"),
                            rs.getObject("at_time", OffsetDateTime.class),
                            rs.getObject("at_identity", UUID.class)))
            .one();
    String page =
        "SELECT id, time, application, telemetry_type, identity FROM telemetry"
            + " WHERE time >= :from AND time < :to"
            + (range.allTypes() ? "" : " AND application = :application AND telemetry_type = :type")
            + (at == Position.START
                ? ""
                : " AND (application, telemetry_type, time, identity)"
                    + " > (:atApplication, :atType, :atTime, :atIdentity)")
            + " ORDER BY application, telemetry_type, time, identity LIMIT :chunk";
    String sql =
        "WITH page AS ("
            + page
            + """
            ), queued AS (
              INSERT INTO outbox (sink, telemetry_id, telemetry_time)
              SELECT :sink, id, time FROM page
              ON CONFLICT (sink, telemetry_id) DO NOTHING
              RETURNING 1
            ), last AS (
              SELECT application, telemetry_type, time, identity FROM page
              ORDER BY application DESC, telemetry_type DESC, time DESC, identity DESC LIMIT 1
            ), counted AS (
              SELECT (SELECT count(*) FROM page) AS walked, (SELECT count(*) FROM queued) AS queued
            )
            UPDATE outbox_replay r
            SET walked = r.walked + c.walked, queued = r.queued + c.queued,
                at_application = coalesce((SELECT application FROM last), r.at_application),
                at_telemetry_type = coalesce((SELECT telemetry_type FROM last), r.at_telemetry_type),
                at_time = coalesce((SELECT time FROM last), r.at_time),
                at_identity = coalesce((SELECT identity FROM last), r.at_identity),
                updated_at = now(),
                finished_at = CASE WHEN c.walked < :chunk THEN now() END
            FROM counted c
            WHERE r.sink = :sink AND r.from_time = :from AND r.to_time = :to
              AND r.application = :application AND r.telemetry_type = :type
            RETURNING r.total, r.walked, r.queued, r.finished_at IS NOT NULL AS finished
            """;
    var statement = bindKey(handle.createQuery(sql), range).bind("chunk", chunk);
    if (at != Position.START) {
      statement
          .bind("atApplication", at.application())
          .bind("atType", at.telemetryType())
          .bind("atTime", at.time())
          .bind("atIdentity", at.identity());
    }
    return statement
        .map(
            (rs, ctx) ->
                new Progress(
                    rs.getLong("total"),
                    rs.getLong("walked"),
                    rs.getLong("queued"),
                    resumed,
                    rs.getBoolean("finished")))
        .one();
  }

  /** The last record walked, in the order of the unique key; START before the first. */
  private record Position(
      String application, String telemetryType, OffsetDateTime time, UUID identity) {
    static final Position START = new Position(null, null, null, null);
  }

  private static <S extends SqlStatement<S>> S bindKey(S statement, Range range) {
    return statement
        .bind("sink", range.sink())
        .bind("from", range.from().atOffset(ZoneOffset.UTC))
        .bind("to", range.to().atOffset(ZoneOffset.UTC))
        .bind("application", range.application())
        .bind("type", range.telemetryType());
  }

  /** The range for people: {@code influxdb from ... to ...[ of app/type]}. */
  public static String describe(Range range) {
    return range.sink()
        + " from "
        + range.from()
        + " to "
        + range.to()
        + (range.allTypes() ? "" : " of " + range.application() + "/" + range.telemetryType());
  }
}
