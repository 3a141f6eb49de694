package com.suse.telemetry.http;

import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.Violation;
import java.util.List;
import java.util.Map;

/**
 * An error answer as RFC 9457 problem details ({@code application/problem+json}), with an {@code
 * errors} array of {@code {pointer, message}}. Thrown by handlers; the server writes it.
 */
final class Problem extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final String TYPE_BASE = "https://telemetry.suse.com/problems/";

  final int status;
  final String type;
  final String title;
  final String detail;
  final transient List<Violation> errors;
  final transient Map<String, String> headers;

  /** The telemetry type a rejected submission claimed, when known; for the log. */
  final transient TelemetryTypeId telemetryType;

  private Problem(
      int status,
      String type,
      String title,
      String detail,
      List<Violation> errors,
      Map<String, String> headers,
      TelemetryTypeId telemetryType) {
    super(title + ": " + detail, null, false, false);
    this.status = status;
    this.type = TYPE_BASE + type;
    this.title = title;
    this.detail = detail;
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
    this.telemetryType = telemetryType;
  }

  private static Problem of(
      int status, String type, String title, String detail, List<Violation> errors) {
    return new Problem(status, type, title, detail, errors, Map.of(), null);
  }

  static Problem invalidTelemetry(List<Violation> violations, TelemetryTypeId typeIfKnown) {
    String count = violations.size() + (violations.size() == 1 ? " violation" : " violations");
    return new Problem(
        400,
        "invalid-telemetry",
        "Invalid telemetry",
        count + "; see errors",
        violations,
        Map.of(),
        typeIfKnown);
  }

  static Problem badBody(String message) {
    return of(
        400,
        "invalid-telemetry",
        "Invalid telemetry",
        message,
        List.of(new Violation("", message)));
  }

  static Problem tooLarge(String message) {
    return of(
        413, "body-too-large", "Body too large", message, List.of(new Violation("", message)));
  }

  static Problem unsupportedMediaType(String message) {
    return of(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        message,
        List.of(new Violation("", message)));
  }

  static Problem notFound(String message) {
    return of(404, "not-found", "Not found", message, List.of());
  }

  static Problem methodNotAllowed(String message) {
    return of(405, "method-not-allowed", "Method not allowed", message, List.of());
  }

  static Problem storeUnavailable(long retryAfterSeconds) {
    return new Problem(
        503,
        "store-unavailable",
        "Store unavailable",
        "the collector cannot store telemetry right now; nothing was stored, send it again later",
        List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)),
        null);
  }

  static Problem overloaded(long retryAfterSeconds) {
    return new Problem(
        503,
        "overloaded",
        "Collector busy",
        "the collector is taking in as much as it can; nothing was stored, send it again later",
        List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)),
        null);
  }

  /** One client sent more than its share; {@code Retry-After} says when its next fits. */
  static Problem tooManyRequests(long retryAfterSeconds) {
    return new Problem(
        429,
        "too-many-requests",
        "Too many requests",
        "this client sent more submissions than its share; nothing was stored, send it again"
            + " after Retry-After seconds",
        List.of(),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)),
        null);
  }

  /** The body did not arrive in time, or too slowly; the connection is closed after this. */
  static Problem requestTimeout(String message) {
    return new Problem(
        408,
        "request-timeout",
        "Request timeout",
        message,
        List.of(),
        Map.of("Connection", "close"),
        null);
  }

  /**
   * A source key is needed and missing, or sent and not valid.
   *
   * @param error the RFC 6750 error code for {@code WWW-Authenticate}, or null when no key was sent
   */
  static Problem unauthorized(String error, String message) {
    return new Problem(
        401,
        "unauthorized",
        "Unauthorized",
        message,
        List.of(),
        Map.of(
            "WWW-Authenticate",
            "Bearer realm=\"telemetry\"" + (error == null ? "" : ", error=\"" + error + "\"")),
        null);
  }

  /** The source key is valid but does not cover the application the submission is for. */
  static Problem forbidden(String message) {
    return new Problem(
        403,
        "forbidden",
        "Forbidden",
        message,
        List.of(),
        Map.of("WWW-Authenticate", "Bearer realm=\"telemetry\", error=\"insufficient_scope\""),
        null);
  }

  /** Plain HTTP serves only health here: the rest is served over HTTPS. */
  static Problem httpsRequired() {
    return new Problem(
        403,
        "https-required",
        "HTTPS required",
        "this port serves health checks only; send telemetry over HTTPS",
        List.of(),
        Map.of("Connection", "close"),
        null);
  }

  /** Any other refusal by the HTTP layer, by its status. */
  static Problem status(int status, String title) {
    return of(status, "http-" + status, title, title, List.of());
  }

  static Problem internalError() {
    return of(
        500,
        "internal-error",
        "Internal error",
        "the collector failed; nothing was stored",
        List.of());
  }
}
