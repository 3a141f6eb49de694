package com.suse.telemetry.http;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * HTTPS served by the collector itself, from the PEM files operators get from their CA,
 * cert-manager or ACME; its settings are declared here.
 *
 * @param certificate the certificate chain, PEM, the server's own certificate first
 * @param privateKey its private key, PEM (PKCS#8, PKCS#1 RSA or SEC1 EC; not encrypted)
 * @param port the HTTPS port
 * @param plainHttp what plain HTTP still serves beside HTTPS
 * @param reloadInterval how often the files are checked for a new certificate
 */
public record TlsSettings(
    Path certificate, Path privateKey, int port, PlainHttp plainHttp, Duration reloadInterval) {

  /** The certificate chain. */
  public static final Setting<Path> CERT =
      Setting.path(
          "tls-cert",
          null,
          "PEM file of the HTTPS certificate chain (server certificate first); with"
              + " TELEMETRY_TLS_KEY, the collector serves HTTPS");

  /** The private key. */
  public static final Setting<Path> KEY =
      Setting.path("tls-key", null, "PEM file of the HTTPS certificate's private key");

  /** The HTTPS port. */
  public static final Setting<Integer> PORT =
      Setting.port("https-port", 8443, "port of the HTTPS API (0: any free port)");

  /** What plain HTTP serves beside HTTPS. */
  public static final Setting<PlainHttp> PLAIN_HTTP =
      Setting.choice(
          "plain-http",
          PlainHttp.class,
          PlainHttp.ALL,
          "what the plain HTTP port serves when HTTPS is on: all routes, or health-only (the rest"
              + " answer 403 and point to HTTPS)");

  /** How often the files are checked. */
  public static final Setting<Duration> RELOAD_INTERVAL =
      Setting.duration(
          "tls-reload-interval",
          Duration.ofSeconds(1),
          Duration.ofHours(24),
          Duration.ofSeconds(10),
          "how often the certificate files are checked: new connections get a changed"
              + " certificate without a restart");

  /** Every setting of HTTPS. */
  public static final List<Setting<?>> SETTINGS =
      List.of(CERT, KEY, PORT, PLAIN_HTTP, RELOAD_INTERVAL);

  /** What plain HTTP serves beside HTTPS. */
  public enum PlainHttp {
    /** Every route, as without HTTPS. */
    ALL,
    /** Only {@code /api/ping} and {@code /health/*}, for load balancers' probes. */
    HEALTH_ONLY
  }

  /** Checks the settings. */
  public TlsSettings {
    requireNonNull(certificate, "certificate");
    requireNonNull(privateKey, "privateKey");
    requireNonNull(plainHttp, "plainHttp");
    requireNonNull(reloadInterval, "reloadInterval");
  }

  /**
   * HTTPS as {@code values} configure it, or empty when no certificate is set.
   *
   * @throws InvalidSettingException if only one of the files is set, or one cannot be read
   */
  public static Optional<TlsSettings> from(SettingValues values) {
    if (!values.isSet(CERT) && !values.isSet(KEY)) {
      return Optional.empty();
    }
    for (Setting<Path> file : List.of(CERT, KEY)) {
      Path path = values.find(file).orElse(null);
      if (path == null) {
        Setting<Path> other = file == CERT ? KEY : CERT;
        throw new InvalidSettingException(file, "must be set when " + other.variable() + " is");
      }
      if (!Files.isReadable(path)) {
        throw new InvalidSettingException(file, "names a file that cannot be read: " + path);
      }
    }
    return Optional.of(
        new TlsSettings(
            values.get(CERT),
            values.get(KEY),
            values.get(PORT),
            values.get(PLAIN_HTTP),
            values.get(RELOAD_INTERVAL)));
  }
}
