package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.suse.telemetry.testkit.TestInflux;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three collectors behind a real haproxy, against one PostgreSQL and one VictoriaMetrics, under
 * load; one is killed (SIGKILL) and started again mid-run. Every record acknowledged by any of them
 * is in PostgreSQL once, and reaches VictoriaMetrics.
 */
class ReplicasIT {

  private static final int REPLICAS = 3;

  @TempDir Path directory;

  private static Path haproxy() {
    for (String dir : (System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin").split(":")) {
      Path candidate = Path.of(dir, "haproxy");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * A haproxy configuration: {@code port} balanced over {@code backends}, checked for readiness.
   */
  private static String configuration(int port, List<Integer> backends) {
    StringBuilder config =
        new StringBuilder(
            """
            global
              maxconn 512
            defaults
              mode http
              timeout connect 1s
              timeout client 30s
              timeout server 30s
              retries 3
              option redispatch
            frontend telemetry
              bind 127.0.0.1:%d
              default_backend collectors
            backend collectors
              balance roundrobin
              option httpchk GET /health/ready
              default-server check inter 300ms fall 2 rise 1
            """
                .formatted(port));
    for (int i = 0; i < backends.size(); i++) {
      config.append("  server collector").append(i).append(" 127.0.0.1:").append(backends.get(i));
      config.append('\n');
    }
    return config.toString();
  }

  @Test
  @Timeout(600)
  void everyRecordAcknowledgedByAnyReplicaIsStoredOnceAndForwarded() throws Exception {
    Path haproxy = haproxy();
    if (TestServices.servicesRequired()) {
      assertThat(haproxy).as("haproxy is installed (see .ci/run)").isNotNull();
    }
    assumeTrue(haproxy != null, "haproxy is not installed");
    TestPostgres.Database database = TestPostgres.newDatabase();
    try (TestInflux.DedicatedVictoriaMetrics influx = TestInflux.startVictoriaMetrics()) {
      Map<String, String> settings = new HashMap<>(CollectorProcess.on(database));
      settings.put("TELEMETRY_INFLUXDB_URL", influx.url());
      settings.put("TELEMETRY_INFLUXDB_ORG", influx.org());
      settings.put("TELEMETRY_INFLUXDB_BUCKET", influx.bucket());
      settings.put("TELEMETRY_OUTBOX_LEASE", "3s");
      settings.put("TELEMETRY_CLIENT_RATE", "0");
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < REPLICAS; i++) {
        ports.add(TestServices.freePort());
      }
      // All at once, as a deployment starts them: Flyway migrates once, under its lock.
      List<CollectorProcess> replicas = new ArrayList<>();
      List<CompletableFuture<CollectorProcess>> starting = new ArrayList<>();
      ExecutorService starter = Executors.newFixedThreadPool(REPLICAS);
      for (int i = 0; i < REPLICAS; i++) {
        int replica = i;
        starting.add(
            CompletableFuture.supplyAsync(
                () -> CollectorProcess.serve(ports.get(replica), settings, log(replica)), starter));
      }
      starting.forEach(replica -> replicas.add(replica.join()));
      starter.shutdown();
      int port = TestServices.freePort();
      Path config = Files.writeString(directory.resolve("haproxy.cfg"), configuration(port, ports));
      Process balancer =
          new ProcessBuilder(haproxy.toString(), "-f", config.toString(), "-db")
              .redirectErrorStream(true)
              .redirectOutput(directory.resolve("haproxy.log").toFile())
              .start();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicInteger refused = new AtomicInteger();
      AtomicBoolean sending = new AtomicBoolean(true);
      ExecutorService clients = Executors.newFixedThreadPool(3);
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () ->
                    CollectorProcess.post(port, envelope(0).getBytes(StandardCharsets.UTF_8))
                            .statusCode()
                        == 202);
        List<Future<?>> load = new ArrayList<>();
        for (int client = 0; client < 3; client++) {
          int first = (client + 1) * 1_000_000;
          load.add(
              clients.submit(
                  () -> {
                    for (int seed = first; sending.get(); seed++) {
                      String envelope = envelope(seed);
                      try {
                        HttpResponse<String> answer =
                            CollectorProcess.post(port, envelope.getBytes(StandardCharsets.UTF_8));
                        if (answer.statusCode() == 202) {
                          acknowledged.addAll(Readiness.agents(envelope));
                        } else {
                          refused.incrementAndGet();
                        }
                      } catch (UncheckedIOException cut) {
                        refused.incrementAndGet();
                      }
                      // Steady load, leaving the machine room to start a replica again.
                      Thread.sleep(20);
                    }
                    return null;
                  }));
        }
        Thread.sleep(3000);
        replicas.get(1).kill();
        Thread.sleep(2000);
        replicas.set(1, CollectorProcess.serve(ports.get(1), settings, log(1)));
        Thread.sleep(3000);
        sending.set(false);
        for (Future<?> client : load) {
          client.get();
        }
        acknowledged.addAll(Readiness.agents(envelope(0)));

        await().atMost(Duration.ofSeconds(120)).until(() -> pending(database) == 0);
        Map<String, Integer> stored = stored(database);
        Set<String> twice = new HashSet<>();
        stored.forEach(
            (agent, copies) -> {
              if (copies != 1) {
                twice.add(agent);
              }
            });
        assertThat(twice).as("records stored more than once").isEmpty();
        assertThat(stored.keySet()).containsAll(acknowledged);
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(forwarded(influx)).containsAll(acknowledged));
        System.out.printf(
            "replicas: %d records acknowledged through haproxy, %d submissions refused or cut%n",
            acknowledged.size(), refused.get());
        assertThat(acknowledged.size()).isGreaterThan(500);
      } finally {
        sending.set(false);
        clients.shutdownNow();
        TestServices.stop(balancer, Duration.ofSeconds(10));
        replicas.forEach(CollectorProcess::close);
      }
    }
  }

  private Path log(int replica) {
    return directory.resolve("collector-" + replica + ".log");
  }

  /** An envelope of five hosts of their own. */
  private static String envelope(int seed) {
    return TestTelemetry.hostsEnvelopeJson(5, seed);
  }

  private static long pending(TestPostgres.Database database) throws Exception {
    try (Connection connection = database.connect();
        ResultSet count =
            connection.createStatement().executeQuery("SELECT count(*) FROM outbox")) {
      count.next();
      return count.getLong(1);
    }
  }

  /** How many times each agent is stored. */
  private static Map<String, Integer> stored(TestPostgres.Database database) throws Exception {
    Map<String, Integer> stored = new HashMap<>();
    try (Connection connection = database.connect();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery("SELECT payload->>'agent_id', count(*) FROM telemetry GROUP BY 1")) {
      while (rows.next()) {
        stored.put(rows.getString(1), rows.getInt(2));
      }
    }
    return stored;
  }

  private static Set<String> forwarded(TestInflux.Server influx) {
    Set<String> agents = new HashSet<>();
    influx.read("host_telemetry").forEach(value -> agents.add(value.tags().get("agent_id")));
    return agents;
  }
}
