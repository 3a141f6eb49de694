package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.keys.SourceKeyring;
import com.suse.telemetry.core.quarantine.RejectedSubmission;
import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.util.JavalinException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's HTTP API, on Javalin: the submission routes ({@link SubmissionRoutes}), the
 * registry's ({@link TypeRoutes}), health ({@link HealthRoutes}) and the contract ({@link
 * OpenApiRoutes}). Every error is problem details; bad input never yields a 500, and a 503 or 429
 * carries {@code Retry-After}.
 */
public final class CollectorHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CollectorHttpServer.class);

  private final Javalin app;
  private final BodyReader reader;
  private final Listeners listeners;
  private final List<String> routes = new CopyOnWriteArrayList<>();

  private CollectorHttpServer(
      HttpSettings settings,
      IngestionService ingestion,
      SourceAuthorization authorization,
      Supplier<Health> health,
      MeterRegistry meters,
      Consumer<RejectedSubmission> quarantine) {
    QueuedThreadPool threads = new QueuedThreadPool(250, 8, 60_000);
    threads.setName("http");
    this.reader = new BodyReader(settings.bodies(), threads);
    SubmissionRoutes submissions =
        new SubmissionRoutes(
            settings,
            ingestion,
            authorization,
            reader,
            threads,
            new HttpMetrics(meters),
            quarantine);
    TypeRoutes types = new TypeRoutes(ingestion.validator().registry());
    HealthRoutes healthRoutes = new HealthRoutes(health, settings.retryAfter());
    this.listeners = new Listeners(settings);
    OpenApiRoutes contract = new OpenApiRoutes(ingestion.validator().registry());
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.prefer405over404 = true;
              config.http.compressionStrategy = CompressionStrategy.NONE;
              config.jetty.threadPool = threads;
              listeners.configure(config);
              // Stopping waits, up to the grace, for submissions in flight to be committed and
              // answered; one still queued past it may be committed unanswered, and its re-send is
              // then counted as duplicates.
              config.jetty.modifyServer(
                  server -> server.setStopTimeout(settings.shutdownGrace().toMillis()));
              config.jetty.modifyServletContextHandler(
                  handler -> handler.insertHandler(new GracefulHandler()));
              if (listeners.plainServesHealthOnly()) {
                config.routes.before(CollectorHttpServer::requireHttpsButForHealth);
              }
              config.events.handlerAdded(
                  added -> {
                    if (added.getHttpMethod().isHttpMethod()) {
                      routes.add(added.getHttpMethod().name() + " " + added.getPath());
                    }
                  });
              submissions.register(config.routes);
              types.register(config.routes);
              healthRoutes.register(config.routes);
              contract.register(config.routes);
              config.routes.exception(
                  Problem.class, (problem, ctx) -> Responses.write(ctx, problem));
              config.routes.exception(HttpResponseException.class, CollectorHttpServer::refuse);
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error(
                        "Request {} {} failed", ctx.method(), PrintableText.of(ctx.path()), e);
                    Responses.write(ctx, Problem.internalError());
                  });
            });
  }

  /**
   * Starts serving {@code ingestion}'s submissions and its registry's telemetry types.
   *
   * @param health what readiness reports; not ready while the primary store is unreachable
   * @throws InvalidSettingException naming the host or port setting when the server cannot listen
   *     there (an address not of this machine, a port in use)
   */
  public static CollectorHttpServer start(
      HttpSettings settings, IngestionService ingestion, Supplier<Health> health) {
    // A composite of no registry records nothing: metrics cost nothing unless asked for.
    return start(settings, ingestion, health, new CompositeMeterRegistry(), null, rejected -> {});
  }

  /**
   * Starts the server like {@link #start(HttpSettings, IngestionService, Supplier)}, counting
   * submissions, records and rejections in {@code meters}, checking source keys against {@code
   * keyring} as {@code settings.auth()} says, and handing each submission rejected by validation
   * (400; not 401, 403, 408, 413, 415, 429 or 503) to {@code quarantine} before answering it.
   *
   * @param keyring the source keys; null only when keys are off
   * @param quarantine must not wait (it runs on the path of the answer); whatever it does, the
   *     client gets its 400
   */
  public static CollectorHttpServer start(
      HttpSettings settings,
      IngestionService ingestion,
      Supplier<Health> health,
      MeterRegistry meters,
      SourceKeyring keyring,
      Consumer<RejectedSubmission> quarantine) {
    requireNonNull(settings, "settings");
    requireListenable(HttpSettings.HOST, settings.host(), HttpSettings.PORT, settings.port());
    if (settings.tls() != null) {
      requireListenable(
          HttpSettings.HOST, settings.host(), TlsSettings.PORT, settings.tls().port());
    }
    CollectorHttpServer server =
        new CollectorHttpServer(
            settings,
            requireNonNull(ingestion, "ingestion"),
            SourceAuthorization.of(
                settings.auth(),
                keyring,
                Problem.storeUnavailable(settings.retryAfter().toSeconds())),
            requireNonNull(health, "health"),
            requireNonNull(meters, "meters"),
            requireNonNull(quarantine, "quarantine"));
    server.app.start();
    return server;
  }

  /**
   * Fails, naming the setting, where the server could not listen: found out by binding a socket
   * there first, because a failed start of the server itself logs at length before it throws.
   */
  static void requireListenable(
      Setting<String> hostSetting, String host, Setting<Integer> portSetting, int port) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new InvalidSettingException(
          hostSetting, "must be an address of this machine, was '" + host + "'");
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
    } catch (IOException e) {
      boolean notOurs =
          e.getMessage() != null && e.getMessage().contains("Cannot assign requested address");
      throw new InvalidSettingException(
          notOurs ? hostSetting : portSetting,
          notOurs
              ? "must be an address of this machine, was '" + host + "'"
              : "names a port the collector cannot listen on ("
                  + host
                  + ":"
                  + port
                  + ": "
                  + e.getMessage()
                  + "); is another process using it?");
    }
  }

  /**
   * Javalin's own refusals: no route (404), or a route without this method (405, with {@code Allow}
   * listing the methods Javalin found registered for the path).
   */
  private static void refuse(HttpResponseException refusal, Context ctx) {
    if (refusal instanceof MethodNotAllowedResponse) {
      refusal.getDetails().values().stream()
          .findFirst()
          .ifPresent(allowed -> ctx.header("Allow", allowed));
      Responses.write(ctx, Problem.methodNotAllowed(ctx.method() + " is not allowed here"));
    } else if (refusal.getStatus() == 404) {
      Responses.write(ctx, Problem.notFound("no route here; see /api/v1/telemetry-types"));
    } else {
      Responses.write(ctx, Problem.status(refusal.getStatus(), refusal.getMessage()));
    }
  }

  /** Every route the server has, as {@code METHOD /path}, path parameters in braces. */
  List<String> routes() {
    return List.copyOf(routes);
  }

  /** The port the server listens on. */
  public int port() {
    return listeners.port();
  }

  /** The port HTTPS listens on; -1 when HTTPS is off. */
  public int httpsPort() {
    return listeners.securePort();
  }

  /** On plain HTTP beside HTTPS, when so configured: only health, the rest refused. */
  private static void requireHttpsButForHealth(Context ctx) {
    String path = ctx.path();
    if (!ctx.req().isSecure() && !path.equals("/api/ping") && !path.startsWith("/health/")) {
      throw Problem.httpsRequired();
    }
  }

  /** Stops taking requests, lets submissions in flight finish (up to the grace), and stops. */
  @Override
  public void close() {
    try {
      app.stop();
    } catch (JavalinException e) {
      // Jetty gave up waiting within the grace (e.g. connections that would not close): the
      // server is stopped regardless, and what was committed stays committed.
      LOG.warn("The HTTP server did not stop cleanly within the grace: {}", e.getMessage());
    } finally {
      reader.close();
      listeners.close();
    }
  }
}
