package com.suse.telemetry.storage.postgres;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How to reach PostgreSQL.
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

  /** Default pool size: group commit needs few connections. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10;

  /** Default wait for a connection: long enough for a busy pool, short for an outage. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);

  /** Checks the settings. */
  public PostgresSettings {
    requireNonNull(url, "url");
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "a PostgreSQL JDBC URL starts with jdbc:postgresql:," + " was " + url);
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
    return new PostgresSettings(
        url, user, password, DEFAULT_MAX_CONNECTIONS, DEFAULT_CONNECTION_TIMEOUT);
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
