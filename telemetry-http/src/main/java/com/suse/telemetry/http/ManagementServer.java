package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.InvalidSettingException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The management API, on a port of its own so that operators' scrapes and probes never queue behind
 * submissions: {@code GET /metrics} (Prometheus), {@code /health/live}, {@code /health/ready},
 * {@code /info} (version and commit) and, when the quarantine is on, {@code /quarantine} (a summary
 * of what validation rejected). Runs on a small thread pool of its own.
 */
public final class ManagementServer implements AutoCloseable {

  /** Prometheus's text exposition format. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Javalin app;

  private ManagementServer(
      String host,
      int port,
      Supplier<String> metrics,
      HealthRoutes health,
      Map<String, String> info,
      QuarantineRoutes quarantine) {
    QueuedThreadPool threads = new QueuedThreadPool(8, 2, 60_000);
    threads.setName("management");
    byte[] infoJson = Responses.JSON.writeValueAsBytes(info);
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.compressionStrategy = CompressionStrategy.NONE;
              config.jetty.threadPool = threads;
              config.jetty.host = host;
              config.jetty.port = port;
              health.register(config.routes);
              if (quarantine != null) {
                quarantine.register(config.routes);
              }
              config.routes.get(
                  "/metrics",
                  ctx ->
                      Responses.send(
                          ctx,
                          200,
                          PROMETHEUS_TEXT,
                          metrics.get().getBytes(StandardCharsets.UTF_8)));
              config.routes.get(
                  "/info", ctx -> Responses.send(ctx, 200, Responses.JSON_TYPE, infoJson));
              config.routes.exception(
                  io.javalin.http.HttpResponseException.class,
                  (e, ctx) -> Responses.write(ctx, Problem.status(e.getStatus(), e.getMessage())));
            });
  }

  /**
   * Starts the management API where {@code settings} say.
   *
   * @param metrics the current metrics in Prometheus's text format
   * @param health what readiness reports
   * @param info what {@code /info} shows (version, commit)
   * @throws InvalidSettingException naming the setting when it cannot listen there
   */
  public static ManagementServer start(
      ManagementSettings settings,
      Supplier<String> metrics,
      Supplier<Health> health,
      Duration retryAfter,
      Map<String, String> info) {
    return start(settings, metrics, health, retryAfter, info, null);
  }

  /**
   * Starts the management API like {@link #start(ManagementSettings, Supplier, Supplier, Duration,
   * Map)}, also serving {@code GET /quarantine}: {@code quarantine}'s summary as JSON.
   */
  public static ManagementServer startWithQuarantine(
      ManagementSettings settings,
      Supplier<String> metrics,
      Supplier<Health> health,
      Duration retryAfter,
      Map<String, String> info,
      Supplier<Map<String, Object>> quarantine) {
    return start(
        settings,
        metrics,
        health,
        retryAfter,
        info,
        new QuarantineRoutes(requireNonNull(quarantine, "quarantine"), retryAfter.toSeconds()));
  }

  private static ManagementServer start(
      ManagementSettings settings,
      Supplier<String> metrics,
      Supplier<Health> health,
      Duration retryAfter,
      Map<String, String> info,
      QuarantineRoutes quarantine) {
    CollectorHttpServer.requireListenable(
        ManagementSettings.HOST, settings.host(), ManagementSettings.PORT, settings.port());
    ManagementServer server =
        new ManagementServer(
            settings.host(),
            settings.port(),
            requireNonNull(metrics, "metrics"),
            new HealthRoutes(requireNonNull(health, "health"), retryAfter),
            Map.copyOf(info),
            quarantine);
    server.app.start();
    return server;
  }

  /** The port the management API listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
