package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL answers, known without waiting on it: a probe on a connection of its own
 * (never one from the pool, whose waits and reconnection back-off would hide an outage for seconds)
 * checks it every quarter second, and at once whenever the store fails to reach it. While it is
 * down, the store refuses work at once instead of waiting for the pool's timeout, so that clients
 * are told to come back later within the second; it is up again within a quarter second of
 * PostgreSQL answering.
 *
 * <p>Starts as not up: {@link #start()} is called once the database is ready (migrated).
 * Thread-safe.
 */
public final class PostgresAvailability implements AutoCloseable {

  /** How often the probe asks. */
  public static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

  private static final Logger LOG = LoggerFactory.getLogger(PostgresAvailability.class);
  private static final int PROBE_TIMEOUT_SECONDS = 1;

  private final DataSource probes;
  private final ScheduledExecutorService clock;
  private volatile boolean started;
  private volatile boolean up;
  private long downSince;
  private Connection probe;

  private PostgresAvailability(DataSource probes) {
    this.probes = probes;
    this.clock =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "postgres-probe");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Availability of the PostgreSQL {@code settings} name, probed on connections of its own. */
  public static PostgresAvailability of(PostgresSettings settings) {
    return new PostgresAvailability(
        PostgresDataSources.probe(requireNonNull(settings, "settings")));
  }

  /** Starts probing; the store works once the first probe succeeds. */
  public void start() {
    synchronized (this) {
      if (started) {
        return;
      }
      started = true;
    }
    check();
    clock.scheduleWithFixedDelay(
        this::check, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether PostgreSQL answered the last probe (and probing has started). Never waits. */
  public boolean isUp() {
    return up;
  }

  /**
   * Throws unless PostgreSQL is known to answer.
   *
   * @throws StoreUnavailableException at once, while it is down or not yet started
   */
  void requireUp() {
    if (!up) {
      throw new StoreUnavailableException(
          started ? "PostgreSQL is unreachable" : "PostgreSQL is not ready yet");
    }
  }

  /**
   * Probes now, as after the store failed to reach PostgreSQL: a broken pooled connection (as after
   * a restart) is worth another try only if PostgreSQL answers.
   *
   * @return whether it answers
   */
  boolean check() {
    if (!started) {
      return false;
    }
    synchronized (this) {
      String problem = probeOnce();
      if (problem == null && !up) {
        if (downSince != 0) {
          LOG.info(
              "PostgreSQL answers again, after {} ms",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince));
        }
        downSince = 0;
        up = true;
      } else if (problem != null && (up || downSince == 0)) {
        LOG.warn(
            "PostgreSQL is unreachable ({}): submissions are answered 503 until it is back",
            problem);
        downSince = System.nanoTime();
        up = false;
      }
      return up;
    }
  }

  /** Asks PostgreSQL on the probe's connection; returns why it did not answer, or null. */
  private String probeOnce() {
    try {
      if (probe == null || !probe.isValid(PROBE_TIMEOUT_SECONDS)) {
        closeProbe();
        probe = probes.getConnection();
        if (!probe.isValid(PROBE_TIMEOUT_SECONDS)) {
          closeProbe();
          return "no answer within " + PROBE_TIMEOUT_SECONDS + " s";
        }
      }
      return null;
    } catch (SQLException e) {
      closeProbe();
      return e.getMessage();
    }
  }

  private void closeProbe() {
    if (probe != null) {
      try {
        probe.close();
      } catch (SQLException e) {
        // Broken already.
      }
      probe = null;
    }
  }

  /** Stops probing. */
  @Override
  public void close() {
    clock.shutdownNow();
    synchronized (this) {
      up = false;
      closeProbe();
    }
  }
}
