package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.testkit.TestServices;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Prometheus scrapes a running collector and counts what it was sent. */
class MetricsTest {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern METRIC = Pattern.compile("\\b(telemetry|jvm|hikaricp)_[a-z_]+");

  @TempDir Path directory;

  @Test
  @Timeout(180)
  void prometheusCountsSubmissionsRecordsAndRejectionsByTypeAndReason() throws Exception {
    if (TestServices.servicesRequired()) {
      assertThat(PROMETHEUS).as("Prometheus (see .ci/run)").isExecutable();
    }
    assumeTrue(Files.isExecutable(PROMETHEUS), "no Prometheus installed");
    try (TestCollector collector =
            new TestCollector(values -> values.with(HttpSettings.CLIENT_RATE, 0));
        Prometheus prometheus = new Prometheus(collector.collector.managementPort())) {
      byte[] envelope = hosts(2, 1);
      for (int i = 0; i < 3; i++) {
        assertThat(collector.post("/api/v1/telemetry", hosts(2, 10 + i)).statusCode())
            .isEqualTo(202);
      }
      assertThat(collector.post("/api/v1/telemetry", envelope).statusCode()).isEqualTo(202);
      assertThat(collector.post("/api/v1/telemetry", envelope).statusCode()).isEqualTo(202);
      assertThat(
              collector
                  .post(
                      "/api/collect/hosts",
                      TestTelemetry.hostsJson(3, 20).getBytes(StandardCharsets.UTF_8))
                  .statusCode())
          .isEqualTo(202);
      assertThat(collector.post("/api/v1/telemetry", "{".getBytes()).statusCode()).isEqualTo(400);
      assertThat(
              collector
                  .post(
                      "/api/v1/telemetry",
                      new String(envelope, StandardCharsets.UTF_8)
                          .replace("host_telemetry", "no_such_type")
                          .getBytes(StandardCharsets.UTF_8))
                  .statusCode())
          .isEqualTo(400);

      String trento = "application=\"trento\",type=\"host_telemetry\",version=\"1\"";
      prometheus.awaitValue("telemetry_submissions_total{route=\"envelope\",status=\"202\"}", 5);
      prometheus.awaitValue(
          "telemetry_submissions_total{route=\"legacy_hosts\",status=\"202\"}", 1);
      prometheus.awaitValue("telemetry_submissions_total{route=\"envelope\",status=\"400\"}", 2);
      prometheus.awaitValue("telemetry_records_total{" + trento + ",outcome=\"accepted\"}", 11);
      prometheus.awaitValue("telemetry_records_total{" + trento + ",outcome=\"duplicate\"}", 2);
      prometheus.awaitValue(
          "telemetry_rejected_submissions_total{reason=\"malformed_json\",application=\"unknown\"}",
          1);
      prometheus.awaitValue("telemetry_rejected_submissions_total{reason=\"unknown_type\"}", 1);
      prometheus.awaitValue("telemetry_submission_duration_seconds_count{route=\"envelope\"}", 7);
      prometheus.awaitValue("telemetry_store_available", 1);
      // Both rejected bodies are kept in the quarantine (the malformed one up to its bound).
      prometheus.awaitValue("telemetry_quarantine_submissions_total{outcome=\"kept\"}", 2);
      prometheus.awaitValue("telemetry_quarantine_entries", 2);
      prometheus.awaitValue("telemetry_quarantine_submissions_total{outcome=\"missed\"}", 0);
      // Every record of a valid submission goes to the store, duplicates too: 11 + 2.
      prometheus.awaitValue("telemetry_store_transaction_records_sum", 13);
      HttpResponse<String> info =
          TestCollector.HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:" + collector.collector.managementPort() + "/info"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(info.body()).path("version").asString()).isNotBlank();
      assertThat(JSON.readTree(info.body()).has("commit")).isTrue();
      // What the kit's dashboard and alerts ask Prometheus is valid PromQL over series that
      // exist (the sinks' only once a sink is configured).
      List<String> expressions = new ArrayList<>(DeploymentKitTest.alertExpressions());
      DeploymentKitTest.healthPanels()
          .forEach(panel -> expressions.add(panel.replace("$__rate_interval", "1m")));
      for (String expression : expressions) {
        prometheus.assertValid(expression);
        Matcher metric = METRIC.matcher(expression);
        while (metric.find()) {
          if (!metric.group().startsWith("telemetry_sink_")) {
            prometheus.awaitPresent(metric.group());
          }
        }
      }
      for (String present :
          List.of(
              "telemetry_build_info",
              "hikaricp_connections_max",
              "jvm_memory_used_bytes",
              "jvm_threads_live_threads",
              "jvm_classes_loaded_classes",
              "process_cpu_usage",
              "telemetry_submission_body_bytes_count",
              "telemetry_submissions_in_flight",
              "telemetry_store_commit_seconds_bucket")) {
        prometheus.awaitPresent(present);
      }
    }
  }

  private static byte[] hosts(int count, long seed) {
    return TestTelemetry.hostsEnvelopeJson(count, seed).getBytes(StandardCharsets.UTF_8);
  }

  /** Prometheus, scraping the collector's management port every half second. */
  private final class Prometheus implements AutoCloseable {

    private final Process process;
    private final int port = TestServices.freePort();

    Prometheus(int target) throws IOException {
      Path config = directory.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 500ms
            scrape_timeout: 400ms
          scrape_configs:
            - job_name: telemetry-collector
              metrics_path: /metrics
              static_configs:
                - targets: ["127.0.0.1:%d"]
          """
              .formatted(target));
      process =
          new ProcessBuilder(
                  PROMETHEUS.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + directory.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(directory.resolve("prometheus.log").toFile())
              .start();
    }

    /** Waits until {@code query} answers {@code expected}. */
    void awaitValue(String query, double expected) {
      await(query)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(value("sum(" + query + ")")).isEqualTo(expected));
    }

    /** Checks that Prometheus accepts {@code query}. */
    void assertValid(String query) {
      JsonNode answer = ask(query);
      assertThat(answer.path("status").asString()).as(query + ": " + answer).isEqualTo("success");
    }

    /** Waits until Prometheus has at least one series of {@code metric}. */
    void awaitPresent(String metric) {
      await(metric)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> value("count(" + metric + ")") > 0);
    }

    private double value(String query) {
      JsonNode result = ask(query).path("data").path("result");
      return result.isEmpty()
          ? Double.NaN
          : Double.parseDouble(result.get(0).path("value").get(1).asString());
    }

    private JsonNode ask(String query) {
      HttpResponse<String> answer;
      try {
        answer =
            TestCollector.HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/api/v1/query?query="
                                + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return JSON.readTree(answer.body());
    }

    @Override
    public void close() {
      TestServices.stop(process, Duration.ofSeconds(10));
    }
  }
}
