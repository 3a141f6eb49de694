package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.keys.SourceKey;
import com.suse.telemetry.core.spi.SourceKeyStore;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.postgres.PostgresPlugin;

/** Source keys kept in PostgreSQL's {@code source_key} table, hashed. Thread-safe. */
public final class PostgresSourceKeys implements SourceKeyStore {

  private final Jdbi jdbi;

  private PostgresSourceKeys(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The keys of {@code dataSource}'s database, migrated by {@link PostgresMigrations}. */
  public static PostgresSourceKeys create(DataSource dataSource) {
    return new PostgresSourceKeys(
        Jdbi.create(requireNonNull(dataSource, "dataSource")).installPlugin(new PostgresPlugin()));
  }

  @Override
  public List<SourceKey> all() {
    return translated(
        "read the source keys",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            "SELECT id, secret_hash, applications, note, created_at, revoked_at"
                                + " FROM source_key ORDER BY created_at, id")
                        .map(
                            (rs, ctx) ->
                                new SourceKey(
                                    rs.getString("id"),
                                    rs.getBytes("secret_hash"),
                                    Set.copyOf(
                                        Arrays.asList(
                                            (String[]) rs.getArray("applications").getArray())),
                                    rs.getString("note"),
                                    rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                                    instant(rs.getObject("revoked_at", OffsetDateTime.class))))
                        .list()));
  }

  @Override
  public void add(SourceKey key) {
    translated(
        "keep a source key",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createUpdate(
                            "INSERT INTO source_key (id, secret_hash, applications, note,"
                                + " created_at) VALUES (:id, :hash, :applications, :note,"
                                + " :createdAt)")
                        .bind("id", key.id())
                        .bind("hash", key.secretHash())
                        .bindArray(
                            "applications",
                            String.class,
                            key.applications().stream().sorted().toList())
                        .bind("note", key.note())
                        .bind("createdAt", key.createdAt().atOffset(ZoneOffset.UTC))
                        .execute()));
  }

  @Override
  public boolean revoke(String id) {
    return translated(
            "revoke a source key",
            () ->
                jdbi.withHandle(
                    handle ->
                        handle
                            .createUpdate(
                                "UPDATE source_key SET revoked_at = now()"
                                    + " WHERE id = :id AND revoked_at IS NULL")
                            .bind("id", id)
                            .execute()))
        == 1;
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static <T> T translated(String what, java.util.function.Supplier<T> operation) {
    try {
      return operation.get();
    } catch (JdbiException e) {
      throw PostgresFailures.translate(what, e);
    }
  }
}
