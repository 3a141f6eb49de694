package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector killed (SIGKILL) again and again under load, by clients that send every envelope
 * again, with the same id, until it is acknowledged: every record of every 202 is stored exactly
 * once.
 */
class CrashIT {

  private static final int KILLS = 10;
  private static final int RECORDS = 5;

  @TempDir Path directory;

  @Test
  @Timeout(600)
  void everyAcknowledgedRecordIsStoredExactlyOnceAcrossKills() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    Map<String, String> settings = new HashMap<>(CollectorProcess.on(database));
    settings.put("TELEMETRY_CLIENT_RATE", "0");
    int port = TestServices.freePort();
    Path log = directory.resolve("collector.log");
    ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    CollectorProcess collector = CollectorProcess.serve(port, settings, log);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> load = new ArrayList<>();
      for (int client = 0; client < 4; client++) {
        long first = client * 10_000_000L;
        load.add(
            clients.submit(
                () -> {
                  for (long seed = first; sending.get(); seed++) {
                    sendUntilAcknowledged(port, seed);
                    acknowledged.add(seed);
                  }
                }));
      }
      for (int kill = 0; kill < KILLS; kill++) {
        Thread.sleep(1000 + ThreadLocalRandom.current().nextInt(2000));
        collector.kill();
        collector = CollectorProcess.serve(port, settings, log);
      }
      Thread.sleep(2000);
      sending.set(false);
      for (Future<?> client : load) {
        client.get();
      }
    } finally {
      clients.shutdownNow();
      collector.close();
    }

    assertThat(collector.output().lines().filter(line -> line.contains("Ready: taking")))
        .hasSize(KILLS + 1);
    assertThat(acknowledged).hasSizeGreaterThan(KILLS * 10);
    Map<String, Integer> stored = storedIdentities(database);
    for (long seed : acknowledged) {
      for (TelemetryRecord record : TestTelemetry.hosts(RECORDS, seed).records()) {
        assertThat(stored.get(record.identity())).as("record of envelope %d", seed).isEqualTo(1);
      }
    }
    assertThat(stored).hasSize(acknowledged.size() * RECORDS);
  }

  /** Sends one envelope, with the same id each time, until the collector answers 202. */
  private static void sendUntilAcknowledged(int port, long seed) {
    UUID id = new UUID(0, seed);
    byte[] envelope =
        TestTelemetry.hostsEnvelopeJson(RECORDS, seed)
            .replaceFirst("\\{", "{\"id\":\"" + id + "\",")
            .getBytes(StandardCharsets.UTF_8);
    while (true) {
      try {
        HttpResponse<String> answer = CollectorProcess.post(port, envelope);
        if (answer.statusCode() == 202) {
          return;
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      } catch (UncheckedIOException killed) {
        // Refused or reset while the collector was down: send it again.
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Integer> storedIdentities(TestPostgres.Database database)
      throws Exception {
    Map<String, Integer> stored = new HashMap<>();
    try (Connection connection = database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT replace(identity::text, '-', ''), count(*) FROM telemetry GROUP BY 1")) {
      while (rows.next()) {
        stored.put(rows.getString(1), rows.getInt(2));
      }
    }
    return stored;
  }
}
