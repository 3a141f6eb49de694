package com.suse.telemetry.client;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The collector's telemetry route, and how an envelope is sent to it. */
final class CollectorEndpoint {

  static final String TELEMETRY_PATH = "/api/v1/telemetry";

  private final HttpClient http;
  private final URI telemetryUri;
  private final String authorization;

  /**
   * @param sourceKey the source key sent as a bearer token, or null for none
   */
  CollectorEndpoint(HttpClient http, URI collector, String sourceKey) {
    this.http = http;
    this.telemetryUri = telemetryUri(collector);
    this.authorization = sourceKey == null ? null : "Bearer " + sourceKey;
  }

  /**
   * {@code <collector>/api/v1/telemetry} for a collector's base URL, which may itself have a path
   * (a collector behind a reverse proxy).
   *
   * @throws IllegalArgumentException if {@code collector} is not an absolute http or https URL
   */
  static URI telemetryUri(URI collector) {
    requireNonNull(collector, "collector");
    String scheme = collector.getScheme();
    if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
        || collector.getHost() == null
        || collector.getRawQuery() != null
        || collector.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "the collector's URL must be http or https with a host and no query, was " + collector);
    }
    String base = collector.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + TELEMETRY_PATH);
  }

  /** Where envelopes go. */
  URI telemetryUri() {
    return telemetryUri;
  }

  /** Posts a gzipped envelope; the answer's body is read whole. */
  CompletableFuture<HttpResponse<byte[]>> send(byte[] gzippedEnvelope, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(telemetryUri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("Accept", "application/json, application/problem+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzippedEnvelope));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
