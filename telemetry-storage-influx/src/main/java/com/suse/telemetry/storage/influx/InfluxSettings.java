package com.suse.telemetry.storage.influx;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to reach InfluxDB (2.x or 3.x, or 1.8+ through its v2 compatibility API); its settings (the
 * original collector's {@code TELEMETRY_INFLUXDB_*} names) are declared here.
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

  /** Base URL; forwarding to InfluxDB is on only when it is set. */
  public static final Setting<String> URL =
      Setting.of(
          "influxdb-url",
          String.class,
          InfluxSettings::httpUrl,
          null,
          "InfluxDB URL, e.g. http://influxdb:8086; forwarding to InfluxDB is on only when set");

  /** API token. */
  public static final Setting<String> TOKEN =
      Setting.text("influxdb-token", "", "InfluxDB API token").secret();

  /** Organisation. */
  public static final Setting<String> ORG =
      Setting.text("influxdb-org", null, "InfluxDB organisation (required with the URL)");

  /** Bucket. */
  public static final Setting<String> BUCKET =
      Setting.text("influxdb-bucket", null, "InfluxDB bucket (required with the URL)");

  /** Points per write. */
  public static final Setting<Integer> BATCH_SIZE =
      Setting.integer("influxdb-batch-size", 1, 1_000_000, 5000, "points per InfluxDB write");

  /** Time one write may take. */
  public static final Setting<Duration> TIMEOUT =
      Setting.duration(
          "influxdb-timeout",
          Duration.ofSeconds(1),
          Duration.ofMinutes(10),
          Duration.ofSeconds(30),
          "how long one InfluxDB write may take before it counts as failed and is retried");

  /** Every setting of the InfluxDB sink, in the order help lists them. */
  public static final List<Setting<?>> SETTINGS =
      List.of(URL, TOKEN, ORG, BUCKET, BATCH_SIZE, TIMEOUT);

  /** Checks the settings. */
  public InfluxSettings {
    requireNonNull(url, "url");
    httpUrl(url);
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
    SettingValues defaults = SettingValues.defaults();
    return new InfluxSettings(
        url, token, org, bucket, defaults.get(BATCH_SIZE), defaults.get(TIMEOUT));
  }

  /**
   * The InfluxDB that {@code values} name, or empty when forwarding to InfluxDB is off.
   *
   * @throws InvalidSettingException naming a setting that is missing or makes no sense
   */
  public static Optional<InfluxSettings> from(SettingValues values) {
    if (!values.isSet(URL)) {
      return Optional.empty();
    }
    for (Setting<String> required : List.of(ORG, BUCKET)) {
      if (values.find(required).filter(value -> !value.isBlank()).isEmpty()) {
        throw new InvalidSettingException(required, "must be set when " + URL.variable() + " is");
      }
    }
    return Optional.of(
        new InfluxSettings(
            values.get(URL),
            values.get(TOKEN),
            values.get(ORG),
            values.get(BUCKET),
            values.get(BATCH_SIZE),
            values.get(TIMEOUT)));
  }

  private static String httpUrl(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be a URL such as http://influxdb:8086");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("must be http(s)://host[:port]");
    }
    return text;
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
