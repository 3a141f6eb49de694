package com.suse.telemetry.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** Connection pools for the store: validated connections that recover by themselves. */
public final class PostgresDataSources {

  private PostgresDataSources() {}

  /**
   * A pool of connections to {@code settings.url()}. It starts without connecting, so it can be
   * created while PostgreSQL is still down; connections broken by an outage are validated away and
   * replaced once PostgreSQL is back. Close it when done.
   */
  public static HikariDataSource pooled(PostgresSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("telemetry-postgres");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.maxConnections());
    config.setMinimumIdle(Math.min(2, settings.maxConnections()));
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    config.setValidationTimeout(Math.min(1000, settings.connectionTimeout().toMillis() - 1));
    config.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
    config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("ApplicationName", "telemetry-collector");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("connectTimeout", "5");
    // A statement stuck behind a network partition fails instead of holding a request forever.
    config.addDataSourceProperty("socketTimeout", "60");
    return new HikariDataSource(config);
  }
}
