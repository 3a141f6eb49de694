package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.IngestionResult;
import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The collector's HTTP API, on Javalin:
 *
 * <ul>
 *   <li>{@code POST /api/v1/telemetry}: one envelope;
 *   <li>{@code POST /api/collect/hosts} (and {@code /api/collect/host}): Trento's legacy bare array
 *       of hosts, as {@code trento/host_telemetry} v1;
 *   <li>{@code GET /api/ping}, {@code /health/live}, {@code /health/ready};
 *   <li>{@code GET /api/v1/telemetry-types} and {@code
 *       /api/v1/telemetry-types/{application}/{type}/{version}}.
 * </ul>
 *
 * <p>A submission is answered 202 only once the primary store committed it. Every error is problem
 * details; bad input never yields a 500, and a 503 carries {@code Retry-After}.
 */
public final class CollectorHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CollectorHttpServer.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TelemetryTypeId TRENTO_HOSTS =
      new TelemetryTypeId("trento", "host_telemetry", 1);
  private static final String JSON_TYPE = "application/json";

  private final HttpSettings settings;
  private final IngestionService ingestion;
  private final TelemetryTypeRegistry registry;
  private final Supplier<Health> health;
  private final RequestBodies bodies;
  private final Semaphore submissions;
  private final MemoryBudget memory;
  private final Javalin app;
  private final Executor answers;

  private CollectorHttpServer(
      HttpSettings settings, IngestionService ingestion, Supplier<Health> health) {
    this.settings = settings;
    this.ingestion = ingestion;
    this.registry = ingestion.validator().registry();
    this.health = health;
    this.bodies = new RequestBodies(settings);
    this.submissions = new Semaphore(settings.maxConcurrentSubmissions());
    this.memory = new MemoryBudget(settings.memoryBudgetBytes());
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.prefer405over404 = true;
              config.http.compressionStrategy = CompressionStrategy.NONE;
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              // Stopping waits, up to the grace, for submissions in flight to be committed and
              // answered; one still queued past it may be committed unanswered, and its re-send is
              // then counted as duplicates.
              config.jetty.modifyServer(
                  server -> server.setStopTimeout(settings.shutdownGrace().toMillis()));
              config.jetty.modifyServletContextHandler(
                  handler -> handler.insertHandler(new GracefulHandler()));
              config.routes.post("/api/v1/telemetry", ctx -> submit(ctx, ingestion::ingestAsync));
              config.routes.post("/api/collect/hosts", this::submitLegacyHosts);
              config.routes.post("/api/collect/host", this::submitLegacyHosts);
              config.routes.get("/api/ping", ctx -> ctx.contentType("text/plain").result("pong"));
              config.routes.get("/health/live", ctx -> json(ctx, 200, status("UP")));
              config.routes.get("/health/ready", this::ready);
              config.routes.get("/api/v1/telemetry-types", this::types);
              config.routes.get(
                  "/api/v1/telemetry-types/{application}/{type}/{version}", this::schema);
              config.routes.exception(
                  Problem.class,
                  (problem, ctx) -> {
                    if (ctx.method() == HandlerType.POST) {
                      bodies.discard(ctx);
                      reject(ctx, problem);
                    } else {
                      write(ctx, problem);
                    }
                  });
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error("Request {} {} failed", ctx.method(), ctx.path(), e);
                    write(ctx, Problem.internalError());
                  });
              config.routes.error(
                  404, ctx -> write(ctx, Problem.notFound("no route " + ctx.path())));
              config.routes.error(
                  405,
                  ctx ->
                      write(
                          ctx,
                          Problem.methodNotAllowed(
                              ctx.method() + " is not allowed on " + ctx.path())));
            });
    this.answers = app.jettyServer().threadPool();
  }

  /**
   * Starts serving {@code ingestion}'s submissions and its registry's telemetry types.
   *
   * @param health what readiness reports; not ready while the primary store is unreachable
   */
  public static CollectorHttpServer start(
      HttpSettings settings, IngestionService ingestion, Supplier<Health> health) {
    CollectorHttpServer server =
        new CollectorHttpServer(
            requireNonNull(settings, "settings"),
            requireNonNull(ingestion, "ingestion"),
            requireNonNull(health, "health"));
    server.app.start();
    return server;
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  private void submitLegacyHosts(Context ctx) {
    submit(ctx, body -> ingestion.ingestPayloadAsync(TRENTO_HOSTS, body));
  }

  /**
   * Reads and validates a submission on the request's thread, then lets that thread go while the
   * store commits: the answer is written when the commit completes. A thread blocked per waiting
   * request cost more CPU than the request's own work (measured with telemetry-bench).
   */
  private void submit(Context ctx, Function<byte[], CompletableFuture<IngestionResult>> ingest) {
    if (!submissions.tryAcquire()) {
      throw Problem.overloaded(settings.retryAfter().toSeconds());
    }
    MemoryBudget.Lease lease = memory.lease();
    boolean handedOver = false;
    try {
      CompletableFuture<IngestionResult> result = ingest.apply(bodies.read(ctx, lease));
      // Answered on a server thread, not on the committer that completed the store: a client
      // that stops reading must never hold up everyone's commits.
      ctx.future(
          () ->
              result.handleAsync(
                  (ingested, failure) -> {
                    try {
                      answer(ctx, ingested, failure);
                    } finally {
                      lease.close();
                      submissions.release();
                    }
                    return null;
                  },
                  answers));
      handedOver = true;
    } finally {
      // Whatever failed before the answer was handed over (even an Error) gives back its share.
      if (!handedOver) {
        lease.close();
        submissions.release();
      }
    }
  }

  private void answer(Context ctx, IngestionResult result, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof StoreUnavailableException unavailable) {
      LOG.warn("Submission not stored, store unavailable: {}", unavailable.getMessage());
      reject(ctx, Problem.storeUnavailable(settings.retryAfter().toSeconds()));
    } else if (cause != null) {
      LOG.error("Submission to {} failed", ctx.path(), cause);
      write(ctx, Problem.internalError());
    } else if (!result.isAccepted()) {
      reject(ctx, Problem.invalidTelemetry(result.violations(), result.type().orElse(null)));
    } else {
      // Two numbers: written by hand, on the path every submission takes.
      send(
          ctx,
          202,
          JSON_TYPE,
          ("{\"accepted\":" + result.accepted() + ",\"duplicates\":" + result.duplicates() + "}")
              .getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static void reject(Context ctx, Problem problem) {
    logRejected(ctx, problem);
    write(ctx, problem);
  }

  /** Logs one line per rejected submission: never the client's address or the payload. */
  private static void logRejected(Context ctx, Problem problem) {
    List<Violation> errors = problem.errors;
    LOG.info(
        "Rejected submission to {}: {} {}, type {}, {} violation(s){}",
        ctx.path(),
        problem.status,
        problem.title,
        problem.telemetryType == null ? "unknown" : problem.telemetryType,
        errors.size(),
        errors.isEmpty() ? "" : ", first " + errors.get(0));
  }

  private void ready(Context ctx) {
    Health current = health.get();
    ObjectNode body = status(current.ready() ? "UP" : "DOWN");
    body.set("checks", JSON.valueToTree(current.checks()));
    if (!current.ready()) {
      ctx.header("Retry-After", Long.toString(settings.retryAfter().toSeconds()));
    }
    json(ctx, current.ready() ? 200 : 503, body);
  }

  private void types(Context ctx) {
    ArrayNode types = JSON.createArrayNode();
    for (TelemetryType type : registry.types()) {
      TelemetryTypeId id = type.id();
      types
          .addObject()
          .put("application", id.application())
          .put("telemetry_type", id.telemetryType())
          .put("schema_version", id.schemaVersion())
          .put("title", type.title())
          .put("description", type.description())
          .put(
              "schema",
              "/api/v1/telemetry-types/"
                  + id.application()
                  + "/"
                  + id.telemetryType()
                  + "/"
                  + id.schemaVersion());
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("telemetry_types", types);
    json(ctx, 200, body);
  }

  private void schema(Context ctx) {
    String version = ctx.pathParam("version").replaceFirst("^v", "");
    Optional<TelemetryType> type = Optional.empty();
    if (version.matches("[1-9][0-9]{0,8}")
        && TelemetryTypeId.isValidName(ctx.pathParam("application"))
        && TelemetryTypeId.isValidName(ctx.pathParam("type"))) {
      type =
          registry.find(
              new TelemetryTypeId(
                  ctx.pathParam("application"), ctx.pathParam("type"), Integer.parseInt(version)));
    }
    TelemetryType found =
        type.orElseThrow(
            () ->
                Problem.notFound(
                    "no telemetry type "
                        + ctx.pathParam("application")
                        + "/"
                        + ctx.pathParam("type")
                        + " version "
                        + ctx.pathParam("version")
                        + "; see /api/v1/telemetry-types"));
    ctx.status(200).contentType("application/schema+json").result(found.schemaJson());
  }

  private static ObjectNode status(String status) {
    return JSON.createObjectNode().put("status", status);
  }

  private static void json(Context ctx, int status, ObjectNode body) {
    send(ctx, status, JSON_TYPE, JSON.writeValueAsBytes(body));
  }

  /**
   * Writes the answer straight to the response: handing Javalin a result would copy it through a
   * fresh 8 KiB buffer per request, the largest allocation on the submission path.
   */
  private static void send(Context ctx, int status, String contentType, byte[] body) {
    ctx.status(status).contentType(contentType);
    ctx.res().setContentLength(body.length);
    try {
      ctx.res().getOutputStream().write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Context ctx, Problem problem) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("type", problem.type)
            .put("title", problem.title)
            .put("status", problem.status)
            .put("detail", problem.detail);
    if (!problem.errors.isEmpty()) {
      ArrayNode errors = body.putArray("errors");
      problem.errors.forEach(
          violation ->
              errors
                  .addObject()
                  .put("pointer", violation.pointer())
                  .put("message", violation.message()));
    }
    problem.headers.forEach(ctx::header);
    if (problem.status == 405) {
      ctx.header("Allow", allowed(ctx.path()));
    }
    send(ctx, problem.status, "application/problem+json", JSON.writeValueAsBytes(body));
  }

  private static String allowed(String path) {
    return path.startsWith("/api/v1/telemetry-types")
            || path.startsWith("/health")
            || path.equals("/api/ping")
        ? HandlerType.GET.name()
        : HandlerType.POST.name();
  }

  /** Stops taking requests, lets submissions in flight finish (up to the grace), and stops. */
  @Override
  public void close() {
    app.stop();
  }
}
