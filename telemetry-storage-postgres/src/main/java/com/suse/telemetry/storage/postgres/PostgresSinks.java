package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The secondary sinks of the deployment, kept in the {@code sink} table rather than in any one
 * replica's settings: the store queues every record it stores, whichever replica stores it, for
 * every enabled sink. A replica configured with a sink registers it when it starts; records stored
 * before then are not queued for it, and reach it through a replay ({@link PostgresReplay}).
 * Thread-safe.
 */
public final class PostgresSinks {

  /**
   * A sink as the deployment knows it.
   *
   * @param name its name
   * @param enabled whether records are queued for it
   * @param registeredAt when a replica first registered it
   * @param pending records waiting for it
   * @param parked records set aside for it
   */
  public record Sink(
      String name, boolean enabled, Instant registeredAt, long pending, long parked) {}

  /** What registering did. */
  public enum Registration {
    /** The sink was new: records are queued for it from now on. */
    NEW,
    /** The sink was disabled: records are queued for it again from now on. */
    ENABLED_AGAIN,
    /** The sink was registered and enabled already. */
    KNOWN
  }

  private final Jdbi jdbi;

  private PostgresSinks(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The sinks of the migrated database at {@code dataSource}. */
  public static PostgresSinks create(DataSource dataSource) {
    return new PostgresSinks(Jdbi.create(requireNonNull(dataSource, "dataSource")));
  }

  /**
   * Registers {@code name} as a sink of the deployment, and enables it: every record stored from
   * now on, by any replica, is queued for it.
   *
   * @throws com.suse.telemetry.core.TelemetryException if PostgreSQL fails
   */
  public Registration register(String name) {
    requireNonNull(name, "name");
    return PostgresCalls.translated(
        "register sink " + name,
        () ->
            jdbi.inTransaction(
                handle -> {
                  Boolean wasEnabled =
                      handle
                          .createQuery("SELECT enabled FROM sink WHERE name = :name FOR UPDATE")
                          .bind("name", name)
                          .mapTo(Boolean.class)
                          .findOne()
                          .orElse(null);
                  handle
                      .createUpdate(
                          "INSERT INTO sink (name) VALUES (:name)"
                              + " ON CONFLICT (name) DO UPDATE SET enabled = true")
                      .bind("name", name)
                      .execute();
                  return wasEnabled == null
                      ? Registration.NEW
                      : wasEnabled ? Registration.KNOWN : Registration.ENABLED_AGAIN;
                }));
  }

  /**
   * Stops queuing records for {@code name} and forgets those waiting for it (parked ones stay until
   * dropped); a replica configured with it enables it again when it starts.
   *
   * @return how many waiting records were forgotten
   * @throws IllegalArgumentException if no such sink is registered
   */
  public long disable(String name) {
    requireNonNull(name, "name");
    return PostgresCalls.translated(
        "disable sink " + name,
        () ->
            jdbi.inTransaction(
                handle -> {
                  int updated =
                      handle
                          .createUpdate("UPDATE sink SET enabled = false WHERE name = :name")
                          .bind("name", name)
                          .execute();
                  if (updated == 0) {
                    throw new IllegalArgumentException(unknown(name));
                  }
                  return (long)
                      handle
                          .createUpdate("DELETE FROM outbox WHERE sink = :name")
                          .bind("name", name)
                          .execute();
                }));
  }

  /** The sink called {@code name}, if registered. */
  public Optional<Sink> find(String name) {
    return list().stream().filter(sink -> sink.name().equals(name)).findFirst();
  }

  /** Every registered sink, by name, with what waits for it. */
  public List<Sink> list() {
    return PostgresCalls.translated(
        "list the sinks",
        () ->
            jdbi.withHandle(
                handle ->
                    handle
                        .createQuery(
                            """
                            SELECT s.name, s.enabled, s.registered_at,
                                   (SELECT count(*) FROM outbox o WHERE o.sink = s.name) AS pending,
                                   (SELECT count(*) FROM outbox_rejected r
                                    WHERE r.sink = s.name) AS parked
                            FROM sink s ORDER BY s.name""")
                        .map(
                            (rs, ctx) ->
                                new Sink(
                                    rs.getString("name"),
                                    rs.getBoolean("enabled"),
                                    rs.getObject("registered_at", OffsetDateTime.class).toInstant(),
                                    rs.getLong("pending"),
                                    rs.getLong("parked")))
                        .list()));
  }

  /**
   * Checks that {@code name} is a registered, enabled sink.
   *
   * @throws IllegalArgumentException naming the sinks there are, if it is not
   */
  public void requireEnabled(String name) {
    Optional<Sink> sink = find(name);
    if (sink.isEmpty()) {
      throw new IllegalArgumentException(unknown(name));
    }
    if (!sink.get().enabled()) {
      throw new IllegalArgumentException(
          "sink '"
              + name
              + "' is disabled; a collector configured with it enables it again when it starts");
    }
  }

  private String unknown(String name) {
    List<String> names = list().stream().map(Sink::name).toList();
    return "no sink '"
        + name
        + "' is registered"
        + (names.isEmpty() ? "" : " (registered: " + String.join(", ", names) + ")")
        + "; a collector configured with a sink registers it when it starts";
  }
}
