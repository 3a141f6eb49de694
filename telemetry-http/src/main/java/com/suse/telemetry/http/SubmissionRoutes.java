package com.suse.telemetry.http;

import com.suse.telemetry.core.IngestionResult;
import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.core.keys.KeyCheck;
import com.suse.telemetry.core.quarantine.RejectedSubmission;
import com.suse.telemetry.core.quarantine.SubmissionRoute;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submission routes: {@code POST /api/v1/telemetry} (one envelope) and Trento's legacy {@code
 * POST /api/collect/hosts} (and {@code /api/collect/host}), a bare array of hosts taken as {@code
 * trento/host_telemetry} v1.
 *
 * <p>A submission goes through: its client's share (else 429), its source key where keys are on
 * (else 401), its headers (else 415 or 413), its body received without a thread held (else 408 or
 * 413), a place among the submissions in flight (else 503), validation (else 400), its key's
 * applications (else 403) and the store's commit (else 503); 202 only once committed. Every refusal
 * reads what is left of the body first, so that the client gets the answer. A body rejected by
 * validation is handed to the quarantine (which only queues it) before it is answered.
 */
final class SubmissionRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(SubmissionRoutes.class);
  private static final TelemetryTypeId TRENTO_HOSTS =
      new TelemetryTypeId("trento", "host_telemetry", 1);

  private final IngestionService ingestion;
  private final TelemetryValidator validator;
  private final SourceAuthorization authorization;
  private final ClientShares shares;
  private final Admission admission;
  private final MemoryBudget memory;
  private final RequestBodies bodies;
  private final BodyReader reader;
  private final Executor answers;
  private final Problem overloaded;
  private final Problem storeUnavailable;
  private final HttpMetrics metrics;
  private final Consumer<RejectedSubmission> quarantine;

  SubmissionRoutes(
      HttpSettings settings,
      IngestionService ingestion,
      SourceAuthorization authorization,
      BodyReader reader,
      Executor answers,
      HttpMetrics metrics,
      Consumer<RejectedSubmission> quarantine) {
    long retryAfter = settings.retryAfter().toSeconds();
    this.ingestion = ingestion;
    this.validator = ingestion.validator();
    this.authorization = authorization;
    this.shares = new ClientShares(settings.admission());
    this.admission = new Admission(settings.admission());
    this.memory = new MemoryBudget(settings.bodies().memoryBudgetBytes());
    this.overloaded = Problem.overloaded(retryAfter);
    this.storeUnavailable = Problem.storeUnavailable(retryAfter);
    this.bodies = new RequestBodies(settings.bodies(), overloaded);
    this.reader = reader;
    this.answers = answers;
    this.metrics = metrics;
    this.quarantine = quarantine;
    metrics.watch(admission::inFlight, admission::limit, memory::used);
  }

  void register(RoutesConfig routes) {
    routes.post(
        "/api/v1/telemetry", ctx -> submit(ctx, SubmissionRoute.ENVELOPE, validator::validate));
    routes.post("/api/collect/hosts", this::submitLegacyHosts);
    routes.post("/api/collect/host", this::submitLegacyHosts);
  }

  private void submitLegacyHosts(Context ctx) {
    submit(
        ctx,
        SubmissionRoute.LEGACY_TRENTO_HOSTS,
        body -> validator.validatePayload(TRENTO_HOSTS, body));
  }

  private void submit(
      Context ctx, SubmissionRoute route, Function<byte[], ValidationResult> validate) {
    long arrived = System.nanoTime();
    String measured =
        route == SubmissionRoute.ENVELOPE ? HttpMetrics.ENVELOPE : HttpMetrics.LEGACY_HOSTS;
    ctx.future(
        () ->
            receive(ctx, route, validate)
                .thenAccept(
                    status -> metrics.answered(measured, status, System.nanoTime() - arrived)));
  }

  /**
   * Runs once the request is asynchronous: nothing below holds this thread while waiting. Completes
   * with the status answered.
   */
  private CompletableFuture<String> receive(
      Context ctx, SubmissionRoute route, Function<byte[], ValidationResult> validate) {
    boolean gzip;
    KeyCheck key;
    try {
      long wait = shares.take(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
      if (wait > 0) {
        throw Problem.tooManyRequests(wait);
      }
      key =
          authorization.check(
              ctx.header("Authorization"), route == SubmissionRoute.LEGACY_TRENTO_HOSTS);
      gzip = bodies.check(ctx);
    } catch (Problem refused) {
      return reader
          .discard(ctx)
          .thenApply(
              unused -> {
                Responses.reject(ctx, refused);
                return Integer.toString(refused.status);
              });
    }
    MemoryBudget.Lease lease = memory.lease();
    return reader
        .read(ctx, lease, overloaded)
        .thenCompose(
            wire -> {
              metrics.received(wire.length);
              return admit(wire, gzip, lease, validate, key, rejection(ctx, route));
            })
        // Answered on a server thread, not on the committer that completed the store: a client
        // that stops reading must never hold up everyone's commits.
        .handleAsync(
            (result, failure) -> {
              try {
                return answer(ctx, result, failure);
              } finally {
                lease.close();
              }
            },
            answers);
  }

  /**
   * Takes a place among the submissions in flight for the work of validating, checking the key
   * covers what the submission claims, and storing.
   */
  private CompletableFuture<IngestionResult> admit(
      byte[] wire,
      boolean gzip,
      MemoryBudget.Lease lease,
      Function<byte[], ValidationResult> validate,
      KeyCheck key,
      Rejection rejection) {
    Admission.Place place = admission.tryEnter().orElseThrow(() -> overloaded);
    try {
      byte[] json = bodies.decode(wire, gzip, lease);
      ValidationResult validated = validate.apply(json);
      authorization.requireCovered(key, validated.type().orElse(null));
      return ingestion
          .ingestAsync(validated)
          .whenComplete(
              (result, failure) -> {
                // What the limit learns from is the time of storing: a submission rejected by
                // validation never reached the store, and an unreachable store says nothing of
                // how long storing takes.
                if (failure == null ? result.isAccepted() : !isStoreUnavailable(failure)) {
                  place.done();
                } else {
                  place.ignored();
                }
                if (result != null && !result.isAccepted()) {
                  rejection.quarantine(json, result);
                }
              });
    } catch (RuntimeException | Error e) {
      // Whatever failed before the store took it (even an Error) gives back its place.
      place.done();
      throw e;
    }
  }

  private static boolean isStoreUnavailable(Throwable failure) {
    return failure instanceof StoreUnavailableException
        || failure.getCause() instanceof StoreUnavailableException;
  }

  /** What the quarantine is told of a submission rejected by validation. */
  @FunctionalInterface
  private interface Rejection {
    void quarantine(byte[] json, IngestionResult result);
  }

  /**
   * Hands a body rejected by validation to the quarantine, with the route and the media type: never
   * the client's address or another header. The quarantine only queues it, and whatever it does,
   * the client gets its 400.
   */
  private Rejection rejection(Context ctx, SubmissionRoute route) {
    String mediaType = ctx.header("Content-Type");
    return (json, result) -> {
      try {
        quarantine.accept(
            new RejectedSubmission(
                route,
                mediaType == null ? "" : mediaType,
                json,
                result.violations(),
                Instant.now()));
      } catch (RuntimeException e) {
        LOG.debug("Quarantine refused a rejected submission: {}", PrintableText.of(e.toString()));
      }
    };
  }

  /** Writes the answer; returns its status. */
  private String answer(Context ctx, IngestionResult result, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof Problem problem) {
      Responses.reject(ctx, problem);
      return Integer.toString(problem.status);
    } else if (cause instanceof StoreUnavailableException) {
      Responses.reject(ctx, storeUnavailable);
      return Integer.toString(storeUnavailable.status);
    } else if (cause instanceof IOException gone) {
      // The client went away (or its connection timed out) before its body was in.
      LOG.debug(
          "Submission to {} abandoned by its client: {}",
          PrintableText.of(ctx.path()),
          PrintableText.of(gone.toString()));
      return HttpMetrics.ABORTED;
    } else if (cause != null) {
      LOG.error("Submission to {} failed", PrintableText.of(ctx.path()), cause);
      Responses.write(ctx, Problem.internalError());
      return "500";
    }
    metrics.ingested(result);
    if (!result.isAccepted()) {
      Responses.reject(
          ctx, Problem.invalidTelemetry(result.violations(), result.type().orElse(null)));
      return "400";
    }
    // Two numbers: written by hand, on the path every submission takes.
    Responses.send(
        ctx,
        202,
        Responses.JSON_TYPE,
        ("{\"accepted\":" + result.accepted() + ",\"duplicates\":" + result.duplicates() + "}")
            .getBytes(StandardCharsets.US_ASCII));
    return "202";
  }
}
