package com.suse.telemetry.http;

import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.Violation;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes answers: JSON bodies, and problems as RFC 9457 problem details. A rejected submission is
 * logged in one line, with everything that came from the client escaped and cut, and never the
 * client's address or the payload.
 */
final class Responses {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String JSON_TYPE = "application/json";

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {}

  /**
   * Writes the answer straight to the response: handing Javalin a result would copy it through a
   * fresh 8 KiB buffer per request, the largest allocation on the submission path.
   */
  static void send(Context ctx, int status, String contentType, byte[] body) {
    ctx.status(status).contentType(contentType);
    ctx.res().setContentLength(body.length);
    try {
      ctx.res().getOutputStream().write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void json(Context ctx, int status, ObjectNode body) {
    send(ctx, status, JSON_TYPE, JSON.writeValueAsBytes(body));
  }

  /** Logs the rejection of a submission, then writes its problem. */
  static void reject(Context ctx, Problem problem) {
    logRejected(ctx, problem);
    write(ctx, problem);
  }

  static void write(Context ctx, Problem problem) {
    if (ctx.res().isCommitted()) {
      // Already answered (e.g. a deadline raced the answer): a second answer would only fail.
      return;
    }
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
    boolean http2 = "HTTP/2.0".equals(ctx.req().getProtocol());
    problem.headers.forEach(
        (name, value) -> {
          // HTTP/2 has no connection headers: a stream ends with its answer.
          if (!(http2 && name.equals("Connection"))) {
            ctx.header(name, value);
          }
        });
    send(ctx, problem.status, "application/problem+json", JSON.writeValueAsBytes(body));
  }

  /**
   * One line per rejected submission: never the client's address or the payload. Refusals that say
   * "later" (408, 429, 503) are counted by the metrics and logged at debug level only: a flood of
   * them would otherwise flood the log.
   */
  private static void logRejected(Context ctx, Problem problem) {
    boolean later = problem.status == 408 || problem.status == 429 || problem.status == 503;
    if (later ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
      return;
    }
    List<Violation> errors = problem.errors;
    LOG.atLevel(later ? Level.DEBUG : Level.INFO)
        .log(
            "Rejected submission to {}: {} {}, type {}, {}",
            PrintableText.of(ctx.path()),
            problem.status,
            problem.title,
            problem.telemetryType == null ? "unknown" : problem.telemetryType,
            errors.isEmpty()
                ? PrintableText.of(problem.detail)
                : errors.size()
                    + " violation(s), first "
                    + PrintableText.of(errors.get(0).toString()));
  }
}
