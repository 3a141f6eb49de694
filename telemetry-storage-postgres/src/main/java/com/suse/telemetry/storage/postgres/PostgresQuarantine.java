package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.quarantine.QuarantineFilter;
import com.suse.telemetry.core.quarantine.QuarantineGroup;
import com.suse.telemetry.core.quarantine.QuarantinedSubmission;
import com.suse.telemetry.core.quarantine.SubmissionRoute;
import com.suse.telemetry.core.spi.Quarantine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The quarantine in PostgreSQL's {@code quarantine} table (migration V4). One statement keeps a
 * batch, a repeat of a kept body updating its count; the table's size is kept in {@code
 * quarantine_usage} by triggers as rows come and go, so that keeping within the cap reads one row
 * and drops the oldest entries from the front of an index, in the same transaction. Thread-safe.
 */
public final class PostgresQuarantine implements Quarantine {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HexFormat HEX = HexFormat.of();
  private static final int PRUNE_CHUNK = 500;

  private static final String KEEP =
      """
      INSERT INTO quarantine (fingerprint, route, media_type, application, telemetry_type,
                              schema_version, first_violation, violations, body, received_size,
                              size_bytes, first_received_at, last_received_at, times_received)
      SELECT r.fingerprint, r.route, r.media_type, r.application, r.telemetry_type,
             r.schema_version, r.first_violation, r.violations::jsonb, r.body, r.received_size,
             r.size_bytes, r.first_received_at, r.last_received_at, r.times_received
      FROM unnest(CAST(? AS bytea[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                  CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS text[]),
                  CAST(? AS bytea[]), CAST(? AS integer[]), CAST(? AS bigint[]),
                  CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), CAST(? AS bigint[]))
           AS r(fingerprint, route, media_type, application, telemetry_type, schema_version,
                first_violation, violations, body, received_size, size_bytes, first_received_at,
                last_received_at, times_received)
      ON CONFLICT (fingerprint) DO UPDATE
        SET times_received = quarantine.times_received + excluded.times_received,
            last_received_at = greatest(quarantine.last_received_at, excluded.last_received_at)
      RETURNING (xmax = 0) AS inserted
      """;

  // The oldest entries, from the front of the index, that together free at least :excess bytes.
  private static final String DROP_OLDEST =
      """
      WITH oldest AS (
        SELECT id, sum(size_bytes) OVER (ORDER BY last_received_at, id) - size_bytes AS before
        FROM (SELECT id, size_bytes, last_received_at FROM quarantine
              ORDER BY last_received_at, id LIMIT :chunk) o
      )
      DELETE FROM quarantine q USING oldest
      WHERE q.id = oldest.id AND oldest.before < :excess
      RETURNING q.size_bytes
      """;

  private static final String COLUMNS =
      "id, fingerprint, route, media_type, application, telemetry_type, schema_version,"
          + " violations::text AS violations, body, received_size, first_received_at,"
          + " last_received_at, times_received";

  private final Jdbi jdbi;
  private final PostgresAvailability availability;

  private PostgresQuarantine(Jdbi jdbi, PostgresAvailability availability) {
    this.jdbi = jdbi;
    this.availability = availability;
  }

  /**
   * The quarantine in {@code dataSource}'s database, migrated by {@link PostgresMigrations}; it
   * fails at once, without waiting on the pool, while {@code availability} (if given) knows
   * PostgreSQL to be down.
   */
  public static PostgresQuarantine create(
      DataSource dataSource, PostgresAvailability availability) {
    return new PostgresQuarantine(
        Jdbi.create(requireNonNull(dataSource, "dataSource")), availability);
  }

  /** The quarantine in {@code dataSource}'s database, trying PostgreSQL on every call. */
  public static PostgresQuarantine create(DataSource dataSource) {
    return create(dataSource, null);
  }

  @Override
  public Kept keep(List<QuarantinedSubmission> entries, long maxBytes) {
    if (entries.isEmpty()) {
      return new Kept(0, 0, 0, usage());
    }
    return run(
        "keep rejected submissions",
        () ->
            jdbi.inTransaction(
                handle -> {
                  int added = insert(handle, entries);
                  Usage usage = usage(handle);
                  long dropped = 0;
                  long excess = usage.bytes() - maxBytes;
                  while (excess > 0) {
                    List<Long> freed =
                        handle
                            .createQuery(DROP_OLDEST)
                            .bind("chunk", PRUNE_CHUNK)
                            .bind("excess", excess)
                            .mapTo(Long.class)
                            .list();
                    if (freed.isEmpty()) {
                      break;
                    }
                    dropped += freed.size();
                    excess -= freed.stream().mapToLong(Long::longValue).sum();
                  }
                  return new Kept(
                      added, entries.size() - added, dropped, dropped > 0 ? usage(handle) : usage);
                }));
  }

  private static int insert(Handle handle, List<QuarantinedSubmission> entries) {
    int n = entries.size();
    Object[][] columns = new Object[14][n];
    for (int i = 0; i < n; i++) {
      QuarantinedSubmission entry = entries.get(i);
      columns[0][i] = HEX.parseHex(entry.fingerprint());
      columns[1][i] = entry.route().storedName();
      columns[2][i] = entry.mediaType();
      columns[3][i] = entry.application();
      columns[4][i] = entry.telemetryType();
      columns[5][i] = entry.schemaVersion();
      columns[6][i] = entry.firstViolation();
      columns[7][i] = violationsJson(entry.violations());
      columns[8][i] = entry.body();
      columns[9][i] = entry.receivedSize();
      columns[10][i] = entry.size();
      columns[11][i] = entry.firstReceived().toString();
      columns[12][i] = entry.lastReceived().toString();
      columns[13][i] = entry.timesReceived();
    }
    String[] types = {
      "bytea", "text", "text", "text", "text", "integer", "text", "text", "bytea", "integer",
      "bigint", "text", "text", "bigint"
    };
    Connection connection = handle.getConnection();
    int added = 0;
    try (PreparedStatement keep = connection.prepareStatement(KEEP)) {
      for (int c = 0; c < columns.length; c++) {
        Object[] values = columns[c];
        keep.setArray(
            c + 1,
            types[c].equals("bytea")
                ? connection.createArrayOf("bytea", toByteArrays(values))
                : connection.createArrayOf(types[c], values));
      }
      try (ResultSet inserted = keep.executeQuery()) {
        while (inserted.next()) {
          if (inserted.getBoolean(1)) {
            added++;
          }
        }
      }
    } catch (SQLException e) {
      throw new UncheckedSqlException(e);
    }
    return added;
  }

  private static byte[][] toByteArrays(Object[] values) {
    byte[][] bytes = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte[]) values[i];
    }
    return bytes;
  }

  private static String violationsJson(List<Violation> violations) {
    ArrayNode array = JSON.createArrayNode();
    violations.forEach(
        v -> array.addObject().put("pointer", v.pointer()).put("message", v.message()));
    return JSON.writeValueAsString(array);
  }

  private static List<Violation> violations(String json) {
    List<Violation> violations = new ArrayList<>();
    for (JsonNode violation : JSON.readTree(json).values()) {
      violations.add(
          new Violation(
              violation.path("pointer").asString(""), violation.path("message").asString("")));
    }
    return violations;
  }

  @Override
  public long dropReceivedBefore(Instant cutoff) {
    return run(
        "drop expired quarantine entries",
        () ->
            jdbi.withHandle(
                handle ->
                    (long)
                        handle
                            .createUpdate("DELETE FROM quarantine WHERE last_received_at < :cutoff")
                            .bind("cutoff", cutoff)
                            .execute()));
  }

  @Override
  public Usage usage() {
    return run("measure the quarantine", () -> jdbi.withHandle(PostgresQuarantine::usage));
  }

  private static Usage usage(Handle handle) {
    return handle
        .createQuery("SELECT entries, bytes FROM quarantine_usage")
        .map((rs, ctx) -> new Usage(rs.getLong("entries"), rs.getLong("bytes")))
        .one();
  }

  @Override
  public List<QuarantineGroup> groups(int limit) {
    return run(
        "group the quarantine",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            """
                            SELECT application, telemetry_type, first_violation,
                                   count(*) AS entries, sum(times_received) AS times,
                                   max(last_received_at) AS last, max(id) AS latest
                            FROM quarantine
                            GROUP BY application, telemetry_type, first_violation
                            ORDER BY times DESC, last DESC
                            LIMIT :limit""")
                        .bind("limit", limit)
                        .map(
                            (rs, ctx) ->
                                new QuarantineGroup(
                                    rs.getString("application"),
                                    rs.getString("telemetry_type"),
                                    rs.getString("first_violation"),
                                    rs.getLong("entries"),
                                    rs.getLong("times"),
                                    rs.getObject("last", OffsetDateTime.class).toInstant(),
                                    rs.getLong("latest")))
                        .list()));
  }

  @Override
  public Optional<QuarantinedSubmission> find(long id) {
    return run(
        "read the quarantine",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery("SELECT " + COLUMNS + " FROM quarantine WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> entry(rs))
                        .findOne()));
  }

  @Override
  public long count(QuarantineFilter filter) {
    return run(
        "count the quarantine",
        () ->
            jdbi.withHandle(
                handle ->
                    bound(
                            handle.createQuery(
                                "SELECT count(*) FROM quarantine WHERE " + where(filter)),
                            filter)
                        .mapTo(Long.class)
                        .one()));
  }

  @Override
  public List<QuarantinedSubmission> page(QuarantineFilter filter, long afterId, int limit) {
    return run(
        "read the quarantine",
        () ->
            jdbi.withHandle(
                handle ->
                    bound(
                            handle.createQuery(
                                "SELECT "
                                    + COLUMNS
                                    + " FROM quarantine WHERE id > :after AND "
                                    + where(filter)
                                    + " ORDER BY id LIMIT :limit"),
                            filter)
                        .bind("after", afterId)
                        .bind("limit", limit)
                        .map((rs, ctx) -> entry(rs))
                        .list()));
  }

  @Override
  public List<Long> ids(QuarantineFilter filter, long afterId, int limit) {
    return run(
        "read the quarantine",
        () ->
            jdbi.withHandle(
                handle ->
                    bound(
                            handle.createQuery(
                                "SELECT id FROM quarantine WHERE id > :after AND "
                                    + where(filter)
                                    + " ORDER BY id LIMIT :limit"),
                            filter)
                        .bind("after", afterId)
                        .bind("limit", limit)
                        .mapTo(Long.class)
                        .list()));
  }

  @Override
  public long remove(Collection<Long> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return run(
        "remove quarantine entries",
        () ->
            jdbi.withHandle(
                handle ->
                    (long)
                        handle
                            .createUpdate(
                                "DELETE FROM quarantine WHERE id = ANY(CAST(:ids AS bigint[]))")
                            .bindArray("ids", Long.class, List.copyOf(ids))
                            .execute()));
  }

  @Override
  public long purge(QuarantineFilter filter) {
    return run(
        "purge the quarantine",
        () ->
            jdbi.withHandle(
                handle -> {
                  var delete = handle.createUpdate("DELETE FROM quarantine WHERE " + where(filter));
                  bindFilter(filter, delete::bind, delete::bind);
                  return (long) delete.execute();
                }));
  }

  /** The conditions of {@code filter}, as bound parameters; always valid SQL. */
  private static String where(QuarantineFilter filter) {
    List<String> conditions = new ArrayList<>(List.of("true"));
    if (filter.application() != null) {
      conditions.add("application = :application");
    }
    if (filter.telemetryType() != null) {
      conditions.add("telemetry_type = :telemetryType");
    }
    if (filter.receivedSince() != null) {
      conditions.add("last_received_at >= :since");
    }
    if (filter.receivedBefore() != null) {
      conditions.add("last_received_at < :before");
    }
    return String.join(" AND ", conditions);
  }

  private static Query bound(Query query, QuarantineFilter filter) {
    bindFilter(filter, query::bind, query::bind);
    return query;
  }

  private interface Binder<T> {
    void bind(String name, T value);
  }

  private static void bindFilter(
      QuarantineFilter filter, Binder<String> texts, Binder<Instant> times) {
    if (filter.application() != null) {
      texts.bind("application", filter.application());
    }
    if (filter.telemetryType() != null) {
      texts.bind("telemetryType", filter.telemetryType());
    }
    if (filter.receivedSince() != null) {
      times.bind("since", filter.receivedSince());
    }
    if (filter.receivedBefore() != null) {
      times.bind("before", filter.receivedBefore());
    }
  }

  private static QuarantinedSubmission entry(ResultSet rs) throws SQLException {
    return new QuarantinedSubmission(
        rs.getLong("id"),
        HEX.formatHex(rs.getBytes("fingerprint")),
        SubmissionRoute.ofStoredName(rs.getString("route")),
        rs.getString("media_type"),
        rs.getString("application"),
        rs.getString("telemetry_type"),
        rs.getInt("schema_version"),
        violations(rs.getString("violations")),
        rs.getBytes("body"),
        rs.getInt("received_size"),
        rs.getObject("first_received_at", OffsetDateTime.class).toInstant(),
        rs.getObject("last_received_at", OffsetDateTime.class).toInstant(),
        rs.getLong("times_received"));
  }

  private <T> T run(String what, Supplier<T> operation) {
    if (availability != null) {
      availability.requireUp();
    }
    try {
      return operation.get();
    } catch (JdbiException | UncheckedSqlException e) {
      throw PostgresFailures.translate(what, e);
    }
  }

  /** A JDBC failure on the plain-JDBC path, carried out of Jdbi's callbacks. */
  private static final class UncheckedSqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedSqlException(SQLException cause) {
      super(cause);
    }
  }
}
