package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.core.settings.Setting;
import com.suse.telemetry.core.settings.SettingValues;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to reach PostgreSQL; its settings (the original collector's {@code TELEMETRY_DB_*} names) are
 * declared here.
 *
 * @param url JDBC URL, e.g. {@code jdbc:postgresql://db:5432/telemetry}
 * @param user role to connect as
 * @param password its password, or empty
 * @param maxConnections largest number of pooled connections
 * @param connectionTimeout how long a request waits for a connection before the store counts as
 *     unavailable
 */
public record PostgresSettings(
    String url, String user, String password, int maxConnections, Duration connectionTimeout) {

  private static final String URL_PREFIX = "jdbc:postgresql:";
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]+");

  /** JDBC URL; wins over host, port and name. */
  public static final Setting<String> URL =
      Setting.of(
          "db-url",
          String.class,
          PostgresSettings::jdbcUrl,
          null,
          "JDBC URL of PostgreSQL, e.g. jdbc:postgresql://db:5432/telemetry; overrides"
              + " TELEMETRY_DB_HOST, _PORT and _NAME");

  /** Host; with neither it nor the URL, the collector uses its embedded database. */
  public static final Setting<String> HOST_NAME =
      Setting.of(
          "db-host",
          String.class,
          text -> {
            if (!HOST.matcher(text).matches()) {
              throw new IllegalArgumentException("must be a host name or address");
            }
            return text;
          },
          null,
          "PostgreSQL host; without it or TELEMETRY_DB_URL, the embedded database is used");

  /** Port. */
  public static final Setting<Integer> PORT =
      Setting.integer("db-port", 1, 65535, 5432, "PostgreSQL port");

  /** Database name. */
  public static final Setting<String> NAME =
      Setting.text("db-name", "telemetry", "PostgreSQL database");

  /** Role. */
  public static final Setting<String> USER =
      Setting.text("db-user", "telemetry", "PostgreSQL role");

  /** Password. */
  public static final Setting<String> PASSWORD =
      Setting.text("db-password", "", "PostgreSQL password").secret();

  /** Pool size. */
  public static final Setting<Integer> POOL_SIZE =
      Setting.integer(
          "db-pool-size", 2, 1000, 10, "most connections to PostgreSQL (group commit needs few)");

  /** Wait for a pooled connection. */
  public static final Setting<Duration> CONNECTION_TIMEOUT =
      Setting.duration(
          "db-connection-timeout",
          Duration.ofMillis(250),
          Duration.ofMinutes(5),
          Duration.ofSeconds(3),
          "how long work waits for a pooled connection before PostgreSQL counts as unavailable");

  /** Every setting of the PostgreSQL store, in the order help lists them. */
  public static final List<Setting<?>> SETTINGS =
      List.of(URL, HOST_NAME, PORT, NAME, USER, PASSWORD, POOL_SIZE, CONNECTION_TIMEOUT);

  /** Checks the settings. */
  public PostgresSettings {
    requireNonNull(url, "url");
    if (!url.startsWith(URL_PREFIX)) {
      throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with " + URL_PREFIX);
    }
    requireNonNull(user, "user");
    password = password == null ? "" : password;
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be 1 or more");
    }
    if (connectionTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
    }
  }

  /** Settings with the default pool size and connection timeout. */
  public static PostgresSettings of(String url, String user, String password) {
    SettingValues defaults = SettingValues.defaults();
    return new PostgresSettings(
        url, user, password, defaults.get(POOL_SIZE), defaults.get(CONNECTION_TIMEOUT));
  }

  /**
   * The PostgreSQL that {@code values} name, or empty when they name none (the collector then uses
   * its embedded database).
   *
   * @throws InvalidSettingException naming a setting whose value makes no sense with the others
   */
  public static Optional<PostgresSettings> from(SettingValues values) {
    String url;
    if (values.isSet(URL)) {
      url = values.get(URL);
    } else if (values.isSet(HOST_NAME)) {
      url =
          URL_PREFIX
              + "//"
              + values.get(HOST_NAME)
              + ":"
              + values.get(PORT)
              + "/"
              + URLEncoder.encode(values.get(NAME), StandardCharsets.UTF_8);
    } else {
      for (Setting<?> part : List.of(PORT, NAME)) {
        if (values.isSet(part)) {
          throw new InvalidSettingException(
              HOST_NAME,
              "must be set when "
                  + part.variable()
                  + " is; without a database, the embedded one is used");
        }
      }
      return Optional.empty();
    }
    return Optional.of(
        new PostgresSettings(
            url,
            values.get(USER),
            values.get(PASSWORD),
            values.get(POOL_SIZE),
            values.get(CONNECTION_TIMEOUT)));
  }

  private static String jdbcUrl(String text) {
    if (!text.startsWith(URL_PREFIX) || text.length() == URL_PREFIX.length()) {
      throw new IllegalArgumentException(
          "must be a JDBC URL such as jdbc:postgresql://db:5432/telemetry");
    }
    return text;
  }

  @Override
  public String toString() {
    return "PostgresSettings[url="
        + url
        + ", user="
        + user
        + ", maxConnections="
        + maxConnections
        + ", connectionTimeout="
        + connectionTimeout
        + "]";
  }
}
