package com.suse.telemetry.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

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
    // No idle connections kept while none is asked for: the pool then stops trying to reconnect
    // during an outage (the store refuses work while PostgreSQL is down), and connects at once,
    // without a back-off of up to 5 s, when work comes again.
    config.setMinimumIdle(0);
    config.setIdleTimeout(Duration.ofMinutes(10).toMillis());
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

  /**
   * Unpooled connections for probing whether PostgreSQL answers: every wait is short, so that a
   * probe tells an outage within a second.
   */
  static DataSource probe(PostgresSettings settings) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(settings.url());
    dataSource.setUser(settings.user());
    dataSource.setPassword(settings.password());
    dataSource.setApplicationName("telemetry-collector-probe");
    dataSource.setConnectTimeout(1);
    dataSource.setLoginTimeout(2);
    dataSource.setSocketTimeout(2);
    dataSource.setTcpKeepAlive(true);
    return dataSource;
  }
}
