package com.suse.telemetry.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.query.FluxRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real server speaking InfluxDB's write protocol, for tests, and a way to read back what was
 * written. {@link #server()} is the one named by {@code TELEMETRY_TEST_INFLUXDB_URL} (a
 * VictoriaMetrics, as {@code .ci/run} starts; or an InfluxDB 2 with {@code
 * TELEMETRY_TEST_INFLUXDB_KIND=influxdb} and its {@code _TOKEN}, {@code _ORG}, {@code _BUCKET});
 * else a Testcontainers {@code influxdb:2.7} when Docker is present; else a VictoriaMetrics started
 * from the {@code victoria-metrics} binary when one is installed; else the test is skipped, or
 * fails when {@code TELEMETRY_TEST_REQUIRE_SERVICES=true}.
 */
public final class TestInflux {

  /** Base URL of the server to write to. */
  public static final String URL_VARIABLE = "TELEMETRY_TEST_INFLUXDB_URL";

  private static final Logger LOG = LoggerFactory.getLogger(TestInflux.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Server shared;

  private TestInflux() {}

  /**
   * One stored value, as read back.
   *
   * @param series measurement and field joined by an underscore, e.g. {@code
   *     host_telemetry_cpu_count}
   * @param tags the point's tags
   * @param value the value as a number (VictoriaMetrics reads strings back as 0, booleans as 0/1)
   * @param epochMillis the timestamp, to the millisecond
   */
  public record StoredValue(
      String series, Map<String, String> tags, double value, long epochMillis) {}

  /** A server to write to, and read back from. */
  public interface Server {

    /** Base URL for writing. */
    String url();

    /** Token, org and bucket to write with. */
    String token();

    String org();

    String bucket();

    /** Every value stored in {@code measurement}, sorted by series, tags and time. */
    List<StoredValue> read(String measurement);
  }

  /** The shared test server; skips the test when none can be had (fails if one is required). */
  public static synchronized Server server() {
    if (shared == null) {
      shared = startSharedServer();
    }
    return shared;
  }

  private static Server startSharedServer() {
    TestServices.requireConfigured(URL_VARIABLE, "a server speaking InfluxDB's write protocol");
    String url = TestServices.env(URL_VARIABLE);
    if (url != null) {
      LOG.info("Test InfluxDB protocol server: {} (from {})", url, URL_VARIABLE);
      if ("influxdb".equals(TestServices.env("TELEMETRY_TEST_INFLUXDB_KIND"))) {
        return new InfluxDb2(
            url,
            TestServices.env("TELEMETRY_TEST_INFLUXDB_TOKEN"),
            TestServices.env("TELEMETRY_TEST_INFLUXDB_ORG"),
            TestServices.env("TELEMETRY_TEST_INFLUXDB_BUCKET"));
      }
      return new VictoriaMetrics(url);
    }
    if (TestServices.dockerPresent()) {
      return InfluxDb2.container();
    }
    assumeTrue(
        victoriaMetricsInstalled(),
        "no InfluxDB protocol server: set "
            + URL_VARIABLE
            + ", start Docker, or install victoria-metrics");
    DedicatedVictoriaMetrics dedicated = startVictoriaMetrics();
    Runtime.getRuntime().addShutdownHook(new Thread(dedicated::close, "stop-victoria-metrics"));
    return dedicated;
  }

  /** Whether a {@code victoria-metrics} binary is on the PATH. */
  public static boolean victoriaMetricsInstalled() {
    return executable() != null;
  }

  private static Path executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "victoria-metrics");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Starts a VictoriaMetrics of the caller's own on a free port, to stop and start at will; skips
   * the test when none is installed (fails if services are required).
   */
  public static DedicatedVictoriaMetrics startVictoriaMetrics() {
    if (TestServices.servicesRequired()) {
      if (!victoriaMetricsInstalled()) {
        throw new IllegalStateException(
            TestServices.REQUIRE_SERVICES
                + " is true but victoria-metrics is not installed (see .ci/run)");
      }
    } else {
      assumeTrue(victoriaMetricsInstalled(), "victoria-metrics is not installed");
    }
    try {
      DedicatedVictoriaMetrics server =
          new DedicatedVictoriaMetrics(
              Files.createTempDirectory("telemetry-test-vm"), TestServices.freePort());
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A VictoriaMetrics reached over HTTP: accepts {@code /api/v2/write}, reads back by export. */
  private static class VictoriaMetrics implements Server {

    private final String url;

    VictoriaMetrics(String url) {
      this.url = url.replaceAll("/+$", "");
    }

    @Override
    public String url() {
      return url;
    }

    @Override
    public String token() {
      return "unused-by-victoria-metrics";
    }

    @Override
    public String org() {
      return "telemetry";
    }

    @Override
    public String bucket() {
      return "telemetry";
    }

    @Override
    public List<StoredValue> read(String measurement) {
      // Makes what was just written visible to reads, instead of waiting for the next flush.
      get("/internal/force_flush");
      String match = "{__name__=~\"" + measurement.replaceAll("[^A-Za-z0-9_]", ".") + "_.*\"}";
      String body =
          get("/api/v1/export?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8));
      List<StoredValue> values = new ArrayList<>();
      for (String line : body.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode series = JSON.readTree(line);
        Map<String, String> tags = new LinkedHashMap<>();
        series
            .get("metric")
            .properties()
            .forEach(tag -> tags.put(tag.getKey(), tag.getValue().asString()));
        String name = tags.remove("__name__");
        for (int i = 0; i < series.get("values").size(); i++) {
          values.add(
              new StoredValue(
                  name,
                  tags,
                  series.get("values").get(i).asDouble(),
                  series.get("timestamps").get(i).asLong()));
        }
      }
      return sorted(values);
    }

    private String get(String path) {
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A VictoriaMetrics process owned by a test: stop it, as an outage would, and start it again. */
  public static final class DedicatedVictoriaMetrics extends VictoriaMetrics
      implements AutoCloseable {

    private final Path data;
    private final int port;
    private Process process;

    private DedicatedVictoriaMetrics(Path data, int port) {
      super("http://127.0.0.1:" + port);
      this.data = data;
      this.port = port;
    }

    /** Starts the server on its port and data, and waits until it answers. */
    public synchronized void start() {
      if (process != null) {
        return;
      }
      try {
        process =
            new ProcessBuilder(
                    executable().toString(),
                    "-httpListenAddr=127.0.0.1:" + port,
                    "-storageDataPath=" + data,
                    "-retentionPeriod=100y",
                    "-loggerLevel=ERROR")
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("victoria-metrics.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!healthy()) {
          if (System.nanoTime() > deadline || !process.isAlive()) {
            throw new IllegalStateException(
                "victoria-metrics did not start; see " + data.resolve("victoria-metrics.log"));
          }
          Thread.sleep(50);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private boolean healthy() {
      try {
        return HTTP.send(
                    HttpRequest.newBuilder(URI.create(url() + "/health"))
                        .timeout(Duration.ofSeconds(1))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** Stops the server; its data stays for the next start. */
    public synchronized void stop() {
      if (process == null) {
        return;
      }
      TestServices.stop(process, Duration.ofSeconds(30));
      process = null;
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
      stop();
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", data, e.toString());
      }
    }
  }

  /** An InfluxDB 2: read back with a Flux query. */
  private record InfluxDb2(String url, String token, String org, String bucket) implements Server {

    static InfluxDb2 container() {
      GenericContainer<?> container =
          new GenericContainer<>(DockerImageName.parse("influxdb:2.7"))
              .withEnv("DOCKER_INFLUXDB_INIT_MODE", "setup")
              .withEnv("DOCKER_INFLUXDB_INIT_USERNAME", "telemetry")
              .withEnv("DOCKER_INFLUXDB_INIT_PASSWORD", "telemetry-password")
              .withEnv("DOCKER_INFLUXDB_INIT_ORG", "telemetry")
              .withEnv("DOCKER_INFLUXDB_INIT_BUCKET", "telemetry")
              .withEnv("DOCKER_INFLUXDB_INIT_RETENTION", "0")
              .withEnv("DOCKER_INFLUXDB_INIT_ADMIN_TOKEN", "telemetry-test-token")
              .withExposedPorts(8086)
              .waitingFor(Wait.forHttp("/ping").forStatusCode(204));
      container.start();
      String url = "http://" + container.getHost() + ":" + container.getMappedPort(8086);
      LOG.info("Test InfluxDB protocol server: Testcontainers influxdb:2.7 at {}", url);
      return new InfluxDb2(url, "telemetry-test-token", "telemetry", "telemetry");
    }

    @Override
    public List<StoredValue> read(String measurement) {
      String flux =
          "from(bucket: \""
              + bucket
              + "\") |> range(start: 0)"
              + " |> filter(fn: (r) => r._measurement == \""
              + measurement
              + "\")";
      List<StoredValue> values = new ArrayList<>();
      try (InfluxDBClient client =
          InfluxDBClientFactory.create(url, token.toCharArray(), org, bucket)) {
        client
            .getQueryApi()
            .query(flux)
            .forEach(
                table -> {
                  for (FluxRecord record : table.getRecords()) {
                    Map<String, String> tags = new LinkedHashMap<>();
                    record
                        .getValues()
                        .forEach(
                            (key, value) -> {
                              if (!key.startsWith("_")
                                  && !key.equals("result")
                                  && !key.equals("table")) {
                                tags.put(key, String.valueOf(value));
                              }
                            });
                    Object value = record.getValue();
                    double number =
                        value instanceof Number n
                            ? n.doubleValue()
                            : value instanceof Boolean b ? (b ? 1 : 0) : 0;
                    values.add(
                        new StoredValue(
                            measurement + "_" + record.getField(),
                            tags,
                            number,
                            record.getTime().toEpochMilli()));
                  }
                });
      }
      return sorted(values);
    }
  }

  private static List<StoredValue> sorted(List<StoredValue> values) {
    values.sort(
        Comparator.comparing(StoredValue::series)
            .thenComparing(value -> value.tags().toString())
            .thenComparingLong(StoredValue::epochMillis));
    return values;
  }
}
