package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PostgreSQL going away and coming back, under load and at start-up. */
class PostgresOutageTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  /** One submission sent: when, what came back, and when. */
  private record Answer(long sent, long answered, int status, long seed) {
    Duration took() {
      return Duration.ofNanos(answered - sent);
    }
  }

  @Test
  @Timeout(180)
  void failsFastWhilePostgresIsDownThenRecoversLosingNothingAcknowledged() throws Exception {
    try (TestPostgres.DedicatedServer postgres = TestPostgres.startDedicated();
        TestCollector collector =
            new TestCollector(
                postgres.newDatabase(), values -> values.with(HttpSettings.CLIENT_RATE, 0))) {
      ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
      AtomicBoolean loading = new AtomicBoolean(true);
      AtomicInteger seeds = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<?>> load = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        load.add(
            clients.submit(
                () -> {
                  while (loading.get()) {
                    long seed = seeds.incrementAndGet();
                    long sent = System.nanoTime();
                    HttpResponse<String> answer =
                        collector.post("/api/v1/telemetry", envelope(seed));
                    answers.add(new Answer(sent, System.nanoTime(), answer.statusCode(), seed));
                  }
                }));
      }
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted(answers) > 20);

        postgres.stop();
        Thread.sleep(3000);
        postgres.start();
        long back = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> answers.stream().anyMatch(a -> a.sent() > back && a.status() == 202));
        Thread.sleep(500);
      } finally {
        loading.set(false);
        for (Future<?> client : load) {
          client.get();
        }
        clients.shutdown();
      }

      List<Answer> all = new ArrayList<>(answers);
      long stopped =
          all.stream()
              .filter(a -> a.status() == 503)
              .mapToLong(Answer::answered)
              .min()
              .orElseThrow();
      List<Answer> whileDown = all.stream().filter(a -> a.status() == 503).toList();
      assertThat(all).extracting(Answer::status).containsOnly(202, 503);
      assertThat(whileDown).as("503s while PostgreSQL was down").hasSizeGreaterThan(10);
      assertThat(whileDown)
          .as("no request waits more than a second for its 503")
          .allSatisfy(a -> assertThat(a.took()).isLessThanOrEqualTo(SECOND));
      assertThat(all)
          .as("accepted again after the outage")
          .anyMatch(a -> a.status() == 202 && a.sent() > stopped);
      assertEveryAcknowledgedRecordStoredOnce(collector, all);
    }
  }

  @Test
  @Timeout(180)
  void answers503FromTheFirstSecondOfAnOutageAndTakesWorkWithinASecondOfItsEnd() throws Exception {
    try (TestPostgres.DedicatedServer postgres = TestPostgres.startDedicated();
        TestCollector collector =
            new TestCollector(postgres.newDatabase(), UnaryOperator.identity())) {
      assertThat(collector.post("/api/v1/telemetry", envelope(1)).statusCode()).isEqualTo(202);

      postgres.stop();
      long stopped = System.nanoTime();
      HttpResponse<String> first = collector.post("/api/v1/telemetry", envelope(2));
      Duration untilFirst503 = Duration.ofNanos(System.nanoTime() - stopped);

      assertThat(first.statusCode()).isEqualTo(503);
      assertThat(first.headers().firstValue("Retry-After")).isPresent();
      assertThat(untilFirst503).isLessThanOrEqualTo(SECOND);
      long sent = System.nanoTime();
      assertThat(collector.post("/api/v1/telemetry", envelope(3)).statusCode()).isEqualTo(503);
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThanOrEqualTo(SECOND);

      postgres.start();
      long started = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> collector.post("/api/v1/telemetry", envelope(4)).statusCode() == 202);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("taking submissions again after PostgreSQL answers")
          .isLessThanOrEqualTo(SECOND);
      assertThat(collector.get("/health/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Timeout(180)
  void startsByItselfWhenPostgresComesUpAfterTheCollector() throws Exception {
    try (TestPostgres.DedicatedServer postgres = TestPostgres.startDedicated()) {
      TestPostgres.Database database = postgres.newDatabase();
      postgres.stop();
      Collector collector =
          Collector.of(TestCollector.settings(database, UnaryOperator.identity()));
      CompletableFuture<Void> starting = CompletableFuture.runAsync(collector::start);
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> collector.isListening());
        TestCollector client = TestCollector.client(collector);
        assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(client.get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(client.post("/api/v1/telemetry", envelope(1)).statusCode()).isEqualTo(503);

        Thread.sleep(10_000);
        assertThat(starting).as("still waiting for PostgreSQL").isNotDone();
        postgres.start();

        starting.get(60, TimeUnit.SECONDS);
        assertThat(client.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(client.post("/api/v1/telemetry", envelope(1)).statusCode()).isEqualTo(202);
        client.exchanges.assertConforming();
      } finally {
        collector.close();
      }
    }
  }

  private static byte[] envelope(long seed) {
    return TestTelemetry.hostsEnvelopeJson(5, seed).getBytes(StandardCharsets.UTF_8);
  }

  private static long accepted(ConcurrentLinkedQueue<Answer> answers) {
    return answers.stream().filter(a -> a.status() == 202).count();
  }

  /** Every record of every 202 is in PostgreSQL, once. */
  private static void assertEveryAcknowledgedRecordStoredOnce(
      TestCollector collector, List<Answer> answers) throws SQLException {
    Map<String, Integer> stored = new HashMap<>();
    try (Connection connection = collector.database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT replace(identity::text, '-', ''), count(*) FROM telemetry GROUP BY 1")) {
      while (rows.next()) {
        stored.put(rows.getString(1), rows.getInt(2));
      }
    }
    int acknowledged = 0;
    for (Answer answer : answers) {
      if (answer.status() == 202) {
        Submission submission = TestTelemetry.hosts(5, answer.seed());
        for (TelemetryRecord record : submission.records()) {
          assertThat(stored.get(record.identity())).as(record.identity()).isEqualTo(1);
          acknowledged++;
        }
      }
    }
    assertThat(acknowledged).isPositive();
  }
}
