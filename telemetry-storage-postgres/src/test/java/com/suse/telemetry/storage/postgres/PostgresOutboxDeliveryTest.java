package com.suse.telemetry.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.OutboxForwarder;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.testkit.TestOutbox;
import com.suse.telemetry.testkit.TestTelemetry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * While a sink works on a batch, the outbox holds nothing of PostgreSQL: no transaction (idle or
 * not), no lock, no pooled connection; only the lease in the table keeps the batch from others.
 */
class PostgresOutboxDeliveryTest {

  private static MigratedDatabase database;

  @BeforeAll
  static void createDatabase() {
    database = new MigratedDatabase();
    database.sinks("influxdb");
  }

  @AfterAll
  static void close() {
    database.close();
  }

  /** A sink that holds the first batch it gets until released. */
  private static final class SlowSink implements TelemetrySink {
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<TelemetryRecord> written = new ArrayList<>();

    @Override
    public String name() {
      return "influxdb";
    }

    @Override
    public synchronized List<Rejection> write(List<TelemetryRecord> records) {
      holding.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.addAll(records);
      return List.of();
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (ResultSet result = connection.createStatement().executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  @Test
  @Timeout(120)
  void holdsNoTransactionLockOrConnectionWhileTheSinkWorks() throws Exception {
    PostgresTelemetryStore.create(database.dataSource).store(TestTelemetry.hosts(30, 1));
    PostgresOutbox outbox = PostgresOutbox.create(database.dataSource);
    SlowSink sink = new SlowSink();
    OutboxForwarder forwarder =
        OutboxForwarder.builder(outbox, sink)
            .batchSize(20)
            .idleDelay(Duration.ofMillis(20))
            .build();
    forwarder.start();
    try (Connection observer = database.database.connect()) {
      assertThat(sink.holding.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(
              count(
                  observer,
                  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                      + " AND (state LIKE 'idle in transaction%' OR xact_start IS NOT NULL)"
                      + " AND pid <> pg_backend_pid()"))
          .as("transactions open while the sink works")
          .isZero();
      assertThat(
              count(
                  observer,
                  "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                      + " WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"))
          .as("locks held while the sink works")
          .isZero();
      assertThat(database.dataSource.getHikariPoolMXBean().getActiveConnections())
          .as("pooled connections taken while the sink works")
          .isZero();
      assertThat(
              count(
                  observer,
                  "SELECT count(*) FROM outbox WHERE lease_owner IS NOT NULL"
                      + " AND lease_expires_at > now()"))
          .as("the batch is leased")
          .isEqualTo(20);
      assertThat(TestOutbox.drain(outbox, "influxdb"))
          .as("another replica takes what is not leased, without waiting")
          .hasSize(10);

      sink.release.countDown();
      forwarder.close();
      assertThat(sink.written).hasSize(20);
      assertThat(outbox.lag("influxdb")).isEqualTo(new Outbox.Lag(0, Duration.ZERO, 0));
    } finally {
      sink.release.countDown();
      forwarder.close();
    }
  }
}
