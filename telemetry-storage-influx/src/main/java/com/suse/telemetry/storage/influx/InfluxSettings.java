package com.suse.telemetry.storage.influx;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach InfluxDB (2.x or 3.x, or 1.8+ through its v2 compatibility API).
 *
 * @param url base URL, e.g. {@code http://influxdb:8086}
 * @param token API token, or empty when the server needs none
 * @param org organisation
 * @param bucket bucket to write to
 * @param batchSize most points per write request
 * @param timeout how long one write may take before it counts as failed and is retried
 */
public record InfluxSettings(
    String url, String token, String org, String bucket, int batchSize, Duration timeout) {

  /** Default points per write request. */
  public static final int DEFAULT_BATCH_SIZE = 5000;

  /** Default time one write may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Checks the settings. */
  public InfluxSettings {
    requireNonNull(url, "url");
    URI uri = URI.create(url);
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("an InfluxDB URL is http(s)://host[:port], was " + url);
    }
    token = token == null ? "" : token;
    requireNonNull(org, "org");
    requireNonNull(bucket, "bucket");
    if (bucket.isBlank()) {
      throw new IllegalArgumentException("bucket must not be blank");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be 1 or more, was " + batchSize);
    }
    requireNonNull(timeout, "timeout");
  }

  /** Settings with the default batch size and timeout. */
  public static InfluxSettings of(String url, String token, String org, String bucket) {
    return new InfluxSettings(url, token, org, bucket, DEFAULT_BATCH_SIZE, DEFAULT_TIMEOUT);
  }

  @Override
  public String toString() {
    return "InfluxSettings[url="
        + url
        + ", org="
        + org
        + ", bucket="
        + bucket
        + ", batchSize="
        + batchSize
        + ", timeout="
        + timeout
        + "]";
  }
}
