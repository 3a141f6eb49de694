package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The primary store on PostgreSQL. Records go to the {@code telemetry} table that the original
 * collector's dashboards query (partitioned by record time, see {@link PostgresPartitions}); a
 * submission is stored in one transaction with one statement for all its records and their outbox
 * entries, one for every sink enabled in the {@code sink} table (see {@link PostgresSinks}, {@link
 * PostgresOutbox}); a record whose application, type, record time and identity are already stored
 * is skipped by the database itself ({@code ON CONFLICT DO NOTHING}), so concurrent submissions of
 * the same records store each once. Thread-safe.
 *
 * <p>An outage surfaces as {@link StoreUnavailableException}; the pooled data source replaces
 * broken connections, so the store works again by itself once PostgreSQL is back.
 */
public final class PostgresTelemetryStore implements TelemetryStore {

  // One round trip stores every record and its outbox entries and reports which were new.
  private static final String INSERT_RECORDS =
      """
      WITH inserted AS (
        INSERT INTO telemetry (application, telemetry_type, schema_version, time, time_nanos,
                               received_at, identity, payload)
        SELECT r.application, r.telemetry_type, r.schema_version, r.time, r.time_nanos,
               r.received_at, r.identity, r.payload::jsonb
        FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS integer[]),
                    CAST(? AS timestamptz[]), CAST(? AS integer[]), CAST(? AS timestamptz[]),
                    CAST(? AS uuid[]), CAST(? AS text[]))
             WITH ORDINALITY AS r(application, telemetry_type, schema_version, time, time_nanos,
                                  received_at, identity, payload, position)
        ORDER BY r.position
        ON CONFLICT (application, telemetry_type, time, identity) DO NOTHING
        RETURNING id, application, telemetry_type, time, identity
      ), outboxed AS (
        INSERT INTO outbox (sink, telemetry_id, telemetry_time)
        SELECT sink.name, inserted.id, inserted.time
        FROM inserted CROSS JOIN sink WHERE sink.enabled
      )
      SELECT application, telemetry_type, time, identity FROM inserted
      """;

  private static final String INSERT_ENVELOPES =
      """
      INSERT INTO envelope (id, received_at)
      SELECT id, now() FROM unnest(CAST(:ids AS uuid[])) AS id
      ON CONFLICT (id) DO NOTHING
      RETURNING id
      """;

  private final Jdbi jdbi;
  private final PostgresAvailability availability;
  private final PostgresCalls calls;

  private PostgresTelemetryStore(Jdbi jdbi, PostgresAvailability availability) {
    this.jdbi = jdbi;
    this.availability = availability;
    this.calls = new PostgresCalls(availability);
  }

  /**
   * A store on {@code dataSource}, a migrated database (see {@link PostgresMigrations}). Every
   * operation tries PostgreSQL, waiting up to the pool's connection timeout when it is down.
   */
  public static PostgresTelemetryStore create(DataSource dataSource) {
    return create(dataSource, null);
  }

  /**
   * A store like {@link #create(DataSource)} that fails at once, without waiting on the pool, while
   * {@code availability} knows PostgreSQL to be down (or not yet ready).
   */
  public static PostgresTelemetryStore create(
      DataSource dataSource, PostgresAvailability availability) {
    requireNonNull(dataSource, "dataSource");
    Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    return new PostgresTelemetryStore(jdbi, availability);
  }

  @Override
  public StoreResult store(Submission submission) {
    return storeAll(List.of(submission)).get(0);
  }

  /** Stores all {@code submissions} in one transaction, each counted on its own. */
  @Override
  public List<StoreResult> storeAll(List<Submission> submissions) {
    if (submissions.isEmpty()) {
      return List.of();
    }
    return calls.withRetries(
        "store records", () -> jdbi.inTransaction(handle -> insert(handle, submissions)));
  }

  /** A record's key in the table: its time as the table keeps it, to the microsecond. */
  private record Key(String application, String telemetryType, Instant time, String identity) {
    static Key of(TelemetryRecord record) {
      return new Key(
          record.type().application(),
          record.type().telemetryType(),
          record.time().truncatedTo(ChronoUnit.MICROS),
          record.identity());
    }
  }

  private record Row(Key key, TelemetryRecord record, int submission) {}

  private List<StoreResult> insert(Handle handle, List<Submission> submissions) {
    Set<UUID> newEnvelopes = insertEnvelopeIds(handle, submissions);
    int[] duplicates = new int[submissions.size()];
    int[] accepted = new int[submissions.size()];
    Set<Key> seen = new HashSet<>();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < submissions.size(); i++) {
      Submission submission = submissions.get(i);
      boolean envelopeSeen =
          submission.envelopeId().isPresent()
              && !newEnvelopes.remove(submission.envelopeId().get());
      for (TelemetryRecord record : submission.records()) {
        Key key = Key.of(record);
        if (envelopeSeen || !seen.add(key)) {
          duplicates[i]++;
        } else {
          rows.add(new Row(key, record, i));
        }
      }
    }
    if (!rows.isEmpty()) {
      // A fixed order of inserts keeps concurrent transactions on the same keys from deadlocking.
      rows.sort(
          Comparator.comparing((Row row) -> row.key().application())
              .thenComparing(row -> row.key().telemetryType())
              .thenComparing(row -> row.key().time())
              .thenComparing(row -> row.key().identity()));
      Set<Key> inserted;
      try {
        inserted = insertRecords(handle, rows);
      } catch (SQLException e) {
        throw new UncheckedSqlException(e);
      }
      for (Row row : rows) {
        if (inserted.contains(row.key())) {
          accepted[row.submission()]++;
        } else {
          duplicates[row.submission()]++;
        }
      }
    }
    List<StoreResult> results = new ArrayList<>(submissions.size());
    for (int i = 0; i < submissions.size(); i++) {
      results.add(new StoreResult(accepted[i], duplicates[i]));
    }
    return results;
  }

  /** Records the envelope ids of {@code submissions}; returns those not seen before. */
  private static Set<UUID> insertEnvelopeIds(Handle handle, List<Submission> submissions) {
    List<UUID> ids =
        submissions.stream()
            .flatMap(submission -> submission.envelopeId().stream())
            .distinct()
            .toList();
    if (ids.isEmpty()) {
      return new HashSet<>();
    }
    return new HashSet<>(
        handle
            .createQuery(INSERT_ENVELOPES)
            .bindArray("ids", UUID.class, ids)
            .mapTo(UUID.class)
            .list());
  }

  /**
   * Runs the insert on plain JDBC, its rows bound as binary arrays: this is the hot path, and
   * binding them through Jdbi's argument resolution, or as pgjdbc's text arrays, cost more than the
   * statement's own work.
   */
  private Set<Key> insertRecords(Handle handle, List<Row> rows) throws SQLException {
    Connection connection = handle.getConnection();
    Set<Key> inserted = new HashSet<>();
    try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORDS)) {
      RecordArrays.bind(insert, 1, rows.stream().map(Row::record).toList());
      try (ResultSet result = insert.executeQuery()) {
        while (result.next()) {
          inserted.add(
              new Key(
                  result.getString(1),
                  result.getString(2),
                  result.getObject(3, OffsetDateTime.class).toInstant(),
                  hex(result.getObject(4, UUID.class))));
        }
      }
    }
    return inserted;
  }

  @Override
  public boolean isAvailable() {
    if (availability != null) {
      return availability.isUp();
    }
    try {
      return calls.withRetries(
              "check the connection",
              () ->
                  jdbi.withHandle(
                      handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one()))
          == 1;
    } catch (TelemetryException e) {
      return false;
    }
  }

  private static String hex(UUID uuid) {
    return uuid.toString().replace("-", "");
  }
}
