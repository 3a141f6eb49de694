package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.settings.InvalidSettingException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
  private final List<String> routes = new CopyOnWriteArrayList<>();

  private CollectorHttpServer(
      HttpSettings settings, IngestionService ingestion, Supplier<Health> health) {
    QueuedThreadPool threads = new QueuedThreadPool(250, 8, 60_000);
    threads.setName("http");
    this.reader = new BodyReader(settings.bodies(), threads);
    SubmissionRoutes submissions = new SubmissionRoutes(settings, ingestion, reader, threads);
    TypeRoutes types = new TypeRoutes(ingestion.validator().registry());
    HealthRoutes healthRoutes = new HealthRoutes(health, settings.retryAfter());
    OpenApiRoutes contract = new OpenApiRoutes(ingestion.validator().registry());
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.prefer405over404 = true;
              config.http.compressionStrategy = CompressionStrategy.NONE;
              config.jetty.threadPool = threads;
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              // Stopping waits, up to the grace, for submissions in flight to be committed and
              // answered; one still queued past it may be committed unanswered, and its re-send is
              // then counted as duplicates.
              config.jetty.modifyServer(
                  server -> server.setStopTimeout(settings.shutdownGrace().toMillis()));
              config.jetty.modifyServletContextHandler(
                  handler -> handler.insertHandler(new GracefulHandler()));
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
    requireListenable(requireNonNull(settings, "settings"));
    CollectorHttpServer server =
        new CollectorHttpServer(
            requireNonNull(settings, "settings"),
            requireNonNull(ingestion, "ingestion"),
            requireNonNull(health, "health"));
    server.app.start();
    return server;
  }

  /**
   * Fails, naming the setting, where the server could not listen: found out by binding a socket
   * there first, because a failed start of the server itself logs at length before it throws.
   */
  private static void requireListenable(HttpSettings settings) {
    InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
    if (address.isUnresolved()) {
      throw new InvalidSettingException(
          HttpSettings.HOST, "must be an address of this machine, was '" + settings.host() + "'");
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
    } catch (IOException e) {
      boolean notOurs =
          e.getMessage() != null && e.getMessage().contains("Cannot assign requested address");
      throw new InvalidSettingException(
          notOurs ? HttpSettings.HOST : HttpSettings.PORT,
          notOurs
              ? "must be an address of this machine, was '" + settings.host() + "'"
              : "names a port the collector cannot listen on ("
                  + settings.host()
                  + ":"
                  + settings.port()
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
    return app.port();
  }

  /** Stops taking requests, lets submissions in flight finish (up to the grace), and stops. */
  @Override
  public void close() {
    app.stop();
    reader.close();
  }
}
