package com.suse.telemetry.app;

import com.suse.telemetry.app.SinkProviders.ConfiguredSink;
import com.suse.telemetry.core.GroupCommitStore;
import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.OutboxForwarder;
import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.keys.SourceKeyring;
import com.suse.telemetry.core.quarantine.QuarantineWriter;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.http.AuthSettings;
import com.suse.telemetry.http.CollectorHttpServer;
import com.suse.telemetry.http.Health;
import com.suse.telemetry.http.ManagementServer;
import com.suse.telemetry.storage.postgres.PostgresAvailability;
import com.suse.telemetry.storage.postgres.PostgresDataSources;
import com.suse.telemetry.storage.postgres.PostgresMigrations;
import com.suse.telemetry.storage.postgres.PostgresOutbox;
import com.suse.telemetry.storage.postgres.PostgresQuarantine;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.storage.postgres.PostgresSinks;
import com.suse.telemetry.storage.postgres.PostgresSourceKeys;
import com.suse.telemetry.storage.postgres.PostgresTelemetryStore;
import com.suse.telemetry.storage.postgres.TypedViews;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: every part wired from {@link Settings}, started in order, and stopped in
 * reverse. The HTTP API starts before PostgreSQL is known to answer, so that liveness answers (and
 * readiness says 503) while the collector waits for it. Stopping closes what started after the HTTP
 * API first (forwarders finish their batch in flight, then maintenance and the keyring stop), then
 * the HTTP API (submissions in flight finish), the management API, the quarantine writer, the
 * store, and the embedded database if there is one.
 */
public final class Collector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  private final Settings settings;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final StartupWait startup;
  private volatile PostgresAvailability availability;
  private final Map<String, OutboxForwarder> forwarders = new ConcurrentHashMap<>();
  private volatile CollectorHttpServer http;
  private ManagementServer management;
  private volatile QuarantineWriter quarantine;

  private Collector(Settings settings) {
    this.settings = settings;
    this.startup = new StartupWait(settings.startupTimeout());
  }

  /** A collector that starts when {@link #start()} is called, and stops when closed. */
  static Collector of(Settings settings) {
    return new Collector(settings);
  }

  /** Starts a collector; it runs until closed. */
  public static Collector start(Settings settings) {
    Collector collector = new Collector(settings);
    collector.start();
    return collector;
  }

  /**
   * Starts every part, waiting for PostgreSQL up to the start-up timeout.
   *
   * @throws com.suse.telemetry.core.settings.InvalidSettingException if a setting turns out wrong
   *     (e.g. the port is in use)
   * @throws TelemetryException if a part cannot start (e.g. PostgreSQL refuses the login or stays
   *     unreachable); whatever had started is stopped again
   */
  void start() {
    try {
      TelemetryTypeRegistry registry = registry(settings);
      BuildInfo build = BuildInfo.current();
      CollectorMetrics metrics = started(new CollectorMetrics(build));
      PostgresSettings database = settings.database();
      if (database == null) {
        EmbeddedDatabase embedded = started(EmbeddedDatabase.start(settings.dataDirectory()));
        database = embedded.settings();
      }
      HikariDataSource pool = started(PostgresDataSources.pooled(database));
      pool.setMetricRegistry(metrics.registry());
      availability = started(PostgresAvailability.of(database));
      metrics.watch(availability);
      PostgresTelemetryStore store = PostgresTelemetryStore.create(pool, availability);
      // Concurrent submissions share commits: one fsync answers many requests. Two commits in
      // flight let PostgreSQL work on both cores. Closing a commit at 1000 records rather than 200
      // took 100-record envelopes ~8% faster in alternating runs, with the same latency tail;
      // single-record envelopes rarely gather that many anyway.
      GroupCommitStore grouped =
          started(GroupCommitStore.wrap(new TimedStore(store, metrics.registry()), 2, 1000));
      IngestionService ingestion =
          IngestionService.create(TelemetryValidator.create(registry), grouped);
      SourceKeyring keyring =
          settings.http().auth().mode() == AuthSettings.Mode.OFF
              ? null
              : SourceKeyring.of(PostgresSourceKeys.create(pool), settings.http().auth().refresh());
      // What validation rejects is written in the background; closed after the HTTP API (so that
      // it drains) and before the pool.
      PostgresQuarantine kept = PostgresQuarantine.create(pool, availability);
      QuarantineWriter writer =
          settings.quarantine().enabled()
              ? started(QuarantineWriter.start(kept, settings.quarantine()))
              : null;
      quarantine = writer;
      if (writer != null) {
        metrics.watch(writer);
      }
      management =
          started(
              writer == null
                  ? ManagementServer.start(
                      settings.management(),
                      metrics::scrape,
                      this::health,
                      settings.http().retryAfter(),
                      build.asMap())
                  : ManagementServer.startWithQuarantine(
                      settings.management(),
                      metrics::scrape,
                      this::health,
                      settings.http().retryAfter(),
                      build.asMap(),
                      new QuarantineSummary(kept, writer, settings.quarantine())));
      http =
          started(
              CollectorHttpServer.start(
                  settings.http(),
                  ingestion,
                  this::health,
                  metrics.registry(),
                  keyring,
                  writer == null ? rejected -> {} : writer::offer));
      LOG.info(
          "Telemetry Collector {} listening on port {}{}, management on port {} ({} telemetry type"
              + " versions); PostgreSQL: {}",
          build.version(),
          http.port(),
          http.httpsPort() < 0 ? "" : " (HTTPS on port " + http.httpsPort() + ")",
          management.port(),
          registry.types().size(),
          database.url().replaceFirst("[?].*", ""));

      PostgresSettings migrated = database;
      startup.until("PostgreSQL", () -> PostgresMigrations.migrate(migrated));
      TypedViews.createOrReplace(pool, registry);
      if (keyring != null) {
        started(keyring);
        startup.until("PostgreSQL", keyring::start);
        LOG.info("Source keys {}", settings.http().auth().mode().name().toLowerCase(Locale.ROOT));
      }
      // Before submissions are taken: every record this replica stores is queued for its sinks.
      registerSinks(pool);
      availability.start();
      started(
              new StoreMaintenance(
                  settings.retention(), pool, metrics.registry(), Clock.systemUTC()))
          .start();
      forward(pool, registry, metrics);
      LOG.info("Ready: taking submissions");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Registers each configured sink with the deployment, so that every replica queues the records it
   * stores for the sink from now on.
   */
  private void registerSinks(HikariDataSource pool) {
    PostgresSinks sinks = PostgresSinks.create(pool);
    for (ConfiguredSink configured : settings.sinks()) {
      AtomicReference<PostgresSinks.Registration> registration = new AtomicReference<>();
      startup.until("PostgreSQL", () -> registration.set(sinks.register(configured.name())));
      if (registration.get() != PostgresSinks.Registration.KNOWN) {
        LOG.warn(
            "Sink {} {}: records stored from now on are queued for it; to send it records stored"
                + " before, run 'outbox replay --sink {} --from ... --to ...'",
            configured.name(),
            registration.get() == PostgresSinks.Registration.NEW ? "registered" : "enabled again",
            configured.name());
      }
    }
  }

  /** Starts a forwarder for each configured sink. */
  private void forward(
      HikariDataSource pool, TelemetryTypeRegistry registry, CollectorMetrics metrics) {
    if (settings.sinks().isEmpty()) {
      LOG.info(
          "Forwarding off: no secondary sink is configured (sinks: {})", SinkProviders.names());
      return;
    }
    PostgresOutbox outbox = PostgresOutbox.create(pool, availability);
    for (ConfiguredSink configured : settings.sinks()) {
      TelemetrySink sink = started(configured.create(registry));
      OutboxForwarder forwarder =
          OutboxForwarder.builder(outbox, sink).settings(settings.forwarding()).build();
      forwarder.start();
      forwarders.put(configured.name(), started(forwarder));
      metrics.watch(configured.name(), forwarder);
      LOG.info("Forwarding to {} ({})", configured.name(), sink);
    }
  }

  private <T extends AutoCloseable> T started(T part) {
    synchronized (started) {
      if (startup.isCancelled()) {
        closeQuietly(part);
        throw new TelemetryException("the collector was stopped while starting");
      }
      started.push(part);
    }
    return part;
  }

  private static TelemetryTypeRegistry registry(Settings settings) {
    TelemetryTypeRegistry.Builder builder =
        SinkProviders.withSinkMetadata(TelemetryTypeRegistry.builder());
    settings.schemaDirectories().forEach(builder::addDirectory);
    return builder.build();
  }

  /** The port the HTTP API listens on. */
  public int port() {
    return http.port();
  }

  /** What the quarantine of rejected submissions counts, when it is on; for metrics. */
  public Optional<QuarantineWriter> quarantine() {
    return Optional.ofNullable(quarantine);
  }

  /** The port the management API listens on. */
  public int managementPort() {
    return management.port();
  }

  /** Whether the HTTP API listens yet (it does before PostgreSQL is ready). */
  boolean isListening() {
    return http != null;
  }

  /**
   * Each dependency's state, without asking it: never a URL, a host or an exception's text (those
   * go to the log), and never an old failure once a dependency has recovered.
   */
  private Health health() {
    Map<String, Object> checks = new LinkedHashMap<>();
    boolean storeUp = availability != null && availability.isUp();
    checks.put("postgres", storeUp ? "UP" : "DOWN");
    forwarders.forEach((name, forwarder) -> checks.put(name, sinkCheck(forwarder)));
    return new Health(storeUp, checks);
  }

  /**
   * A sink's state: DOWN while it (or the store) fails, DEGRADED while records fail on their own,
   * are parked or wait too long; with the counts. Ingestion goes on regardless, so it never makes
   * the collector unready.
   */
  private static Map<String, Object> sinkCheck(OutboxForwarder forwarder) {
    Map<String, Object> check = new LinkedHashMap<>();
    check.put("status", forwarder.status().name());
    Outbox.Lag lag = forwarder.lastLag();
    if (lag != null) {
      check.put("pending", lag.pending());
      check.put("oldest_seconds", lag.oldestAge().toSeconds());
      check.put("parked", lag.parked());
    }
    return check;
  }

  /** Stops every part, in reverse order of start; also stops a start that is still waiting. */
  @Override
  public void close() {
    startup.cancel();
    while (true) {
      AutoCloseable part;
      synchronized (started) {
        part = started.poll();
      }
      if (part == null) {
        return;
      }
      closeQuietly(part);
    }
  }

  private static void closeQuietly(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      LOG.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
    }
  }
}
