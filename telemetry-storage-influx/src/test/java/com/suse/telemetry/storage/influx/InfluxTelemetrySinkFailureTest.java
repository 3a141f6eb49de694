package com.suse.telemetry.storage.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.spi.SinkRefusedException;
import com.suse.telemetry.core.spi.SinkUnavailableException;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the sink classifies the answers of InfluxDB's write endpoint, for the forwarder to act on.
 * VictoriaMetrics accepts any data, and no InfluxDB 2 can run here, so a scripted HTTP server gives
 * the answers InfluxDB documents: 400 with a message about the data, 429 and 503 with Retry-After,
 * 500 for a failure of its own.
 */
class InfluxTelemetrySinkFailureTest {

  private static final TelemetryTypeRegistry REGISTRY = TelemetryTypeRegistry.bundled();

  private HttpServer server;
  private final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile int status = 204;
  private volatile String refusedMarker;

  @BeforeEach
  void startScriptedServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v2/write", this::answer);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    InputStream body = exchange.getRequestBody();
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      body = new GZIPInputStream(body);
    }
    List<String> lines =
        List.of(new String(body.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    requests.add(lines);
    int answer = status;
    String message = "";
    if (answer == 204
        && refusedMarker != null
        && lines.stream().anyMatch(line -> line.contains(refusedMarker))) {
      answer = 400;
      message =
          "{\"code\":\"invalid\",\"message\":\"partial write: field type conflict: input"
              + " field \\\"cpu_count\\\" on measurement \\\"host_telemetry\\\" is type float, already"
              + " exists as type integer dropped=1\"}";
    }
    if (answer == 429 || answer == 503) {
      exchange.getResponseHeaders().add("Retry-After", "1");
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private InfluxTelemetrySink sink(int batchSize) {
    return InfluxTelemetrySink.create(
        REGISTRY,
        new InfluxSettings(
            "http://127.0.0.1:" + server.getAddress().getPort(),
            "token",
            "org",
            "bucket",
            batchSize,
            Duration.ofSeconds(5)));
  }

  @Test
  void writesGzippedBatchesOfTheConfiguredSize() {
    try (InfluxTelemetrySink sink = sink(4)) {
      assertThat(sink.write(TestTelemetry.hosts(10, 1).records())).isEmpty();
    }

    assertThat(requests).extracting(List::size).containsExactly(4, 4, 2);
  }

  @Test
  void saysAWriteRefusedForItsDataIsRefusedSoThatTheForwarderIsolatesIt() {
    Submission hosts = TestTelemetry.hosts(16, 2);
    TelemetryRecord refused = hosts.records().get(11);
    refusedMarker =
        refused
            .json()
            .substring(
                refused.json().indexOf("agent_id") + 11, refused.json().indexOf("agent_id") + 47);

    try (InfluxTelemetrySink sink = sink(16)) {
      assertThatThrownBy(() -> sink.write(hosts.records()))
          .isInstanceOf(SinkRefusedException.class)
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("field type conflict");
      assertThat(sink.write(hosts.records().subList(0, 11))).isEmpty();
      assertThat(sink.written()).isEqualTo(11);
    }
  }

  @Test
  void treatsOverloadOutagesAndAccessProblemsAsTemporary() {
    for (int answer : new int[] {429, 502, 503, 504, 401, 403, 404}) {
      status = answer;
      try (InfluxTelemetrySink sink = sink(10)) {
        assertThatThrownBy(() -> sink.write(TestTelemetry.hosts(3, 3).records()))
            .as("HTTP " + answer)
            .isInstanceOf(SinkUnavailableException.class)
            .hasMessageContaining("HTTP " + answer);
      }
    }
  }

  @Test
  void treatsAServerErrorAsAFailureOfUnknownCauseNeitherTemporaryNorRefused() {
    status = 500;
    try (InfluxTelemetrySink sink = sink(10)) {
      assertThatThrownBy(() -> sink.write(TestTelemetry.hosts(3, 5).records()))
          .hasMessageContaining("HTTP 500")
          .isNotInstanceOf(SinkUnavailableException.class)
          .isNotInstanceOf(SinkRefusedException.class);
    }
  }

  @Test
  void treatsNoAnswerAsTemporary() {
    server.stop(0);
    try (InfluxTelemetrySink sink = sink(10)) {
      assertThatThrownBy(() -> sink.write(TestTelemetry.hosts(3, 4).records()))
          .isInstanceOf(SinkUnavailableException.class)
          .hasMessageContaining("no answer");
    }
  }
}
