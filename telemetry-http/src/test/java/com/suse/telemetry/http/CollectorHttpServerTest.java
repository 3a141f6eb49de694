package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.settings.InvalidSettingException;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP adapter on its own, over the core's in-memory store. */
class CollectorHttpServerTest {

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static byte[] hosts(int count, long seed) {
    return TestTelemetry.hostsEnvelopeJson(count, seed).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void acceptsAnEnvelopeOnceStoredAndCountsDuplicates() {
    byte[] envelope = hosts(3, 1);

    HttpResponse<String> first = server.post("/api/v1/telemetry", envelope);
    HttpResponse<String> again = server.post("/api/v1/telemetry", envelope);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.body()).isEqualTo("{\"accepted\":3,\"duplicates\":0}");
    assertThat(again.body()).isEqualTo("{\"accepted\":0,\"duplicates\":3}");
  }

  @Test
  void acceptsTrentosBareArraysOnBothLegacyPaths() {
    byte[] hosts = TestTelemetry.hostsJson(2, 2).getBytes(StandardCharsets.UTF_8);

    assertThat(server.post("/api/collect/hosts", hosts).body())
        .isEqualTo("{\"accepted\":2,\"duplicates\":0}");
    assertThat(server.post("/api/collect/host", hosts).body())
        .isEqualTo("{\"accepted\":0,\"duplicates\":2}");
  }

  @Test
  void acceptsGzipAndRefusesWhatItCannotRead() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(hosts(2, 3));
    }

    assertThat(
            server
                .post("/api/v1/telemetry", compressed.toByteArray(), "Content-Encoding", "gzip")
                .statusCode())
        .isEqualTo(202);
    assertProblem(
        server.post("/api/v1/telemetry", hosts(1, 4), "Content-Encoding", "gzip"),
        400,
        "not valid gzip");
    assertProblem(
        server.post("/api/v1/telemetry", hosts(1, 4), "Content-Encoding", "br"), 415, "gzip");
    assertProblem(
        server.send(
            HttpRequest.newBuilder(server.uri("/api/v1/telemetry"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(hosts(1, 4)))),
        415,
        "application/json");
    assertProblem(server.post("/api/v1/telemetry", new byte[(1 << 20) + 1]), 413, "1048576");
  }

  @Test
  void readsBodiesSentWithoutTheirLength() {
    // Sent chunked, of unknown length: read into a buffer that grows (from 8 KiB) as they come.
    byte[] small = hosts(1, 5);
    byte[] large = hosts(300, 6);
    assertThat(large.length).isGreaterThan(64 * 1024);

    assertThat(chunked(small).body()).isEqualTo("{\"accepted\":1,\"duplicates\":0}");
    assertThat(chunked(large).body()).isEqualTo("{\"accepted\":300,\"duplicates\":0}");
    assertProblem(chunked(new byte[(1 << 20) + 1]), 413, "1048576");
  }

  private static HttpResponse<String> chunked(byte[] body) {
    return server.send(
        HttpRequest.newBuilder(server.uri("/api/v1/telemetry"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
  }

  @Test
  void answersEveryViolationWithItsPointer() {
    HttpResponse<String> answer =
        server.post(
            "/api/v1/telemetry",
            "{\"application\":\"trento\",\"telemetry_type\":\"host_telemetry\",\"time\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8));

    assertProblem(answer, 400, "\"pointer\":\"/time\"");
    assertThat(answer.body()).contains("\"pointer\":\"/payload\",\"message\":\"is required");
  }

  @Test
  void saysStoreUnavailableWith503AndRetryAfter() {
    server.memory.setAvailable(false);
    try {
      HttpResponse<String> answer = server.post("/api/v1/telemetry", hosts(1, 5));

      assertProblem(answer, 503, "store-unavailable");
      assertThat(answer.headers().firstValue("Retry-After")).contains("5");
    } finally {
      server.memory.setAvailable(true);
    }
  }

  @Test
  void answersWrongMethodsWithTheMethodsRegisteredForThePath() {
    HttpResponse<String> put =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/v1/telemetry"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> post =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/v1/telemetry-types"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertProblem(put, 405, "method-not-allowed");
    assertThat(put.headers().firstValue("Allow")).contains("POST");
    assertProblem(post, 405, "method-not-allowed");
    assertThat(post.headers().firstValue("Allow")).contains("GET");
    assertProblem(server.get("/api/v2/telemetry"), 404, "not-found");
  }

  @Test
  void answersEveryUnknownSchemaOnceWithA404Problem() {
    for (String path :
        new String[] {
          "/api/v1/telemetry-types/trento/host_telemetry/9",
          "/api/v1/telemetry-types/x%0A%1B%5B31m/y/1",
          "/api/v1/telemetry-types/trento/host_telemetry/v99999999999999"
        }) {
      HttpResponse<String> answer = server.get(path);

      assertProblem(answer, 404, "no telemetry type");
      assertThat(answer.headers().firstValueAsLong("Content-Length"))
          .hasValue(answer.body().getBytes(StandardCharsets.UTF_8).length);
    }
    assertThat(server.get("/api/v1/telemetry-types/trento/host_telemetry/v1").statusCode())
        .isEqualTo(200);
  }

  @Test
  void readinessShowsEachDependencyAndIs503WhileTheStoreIsDown() throws InterruptedException {
    server.health = new Health(false, Map.of("postgres", "DOWN"));
    Thread.sleep(600); // readiness is asked of the collector at most twice a second
    try {
      HttpResponse<String> down = server.get("/health/ready");

      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).contains("5");
      assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"postgres\":\"DOWN\"}}");
      assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
      assertThat(server.get("/api/ping").body()).isEqualTo("pong");
    } finally {
      server.health = new Health(true, Map.of("postgres", "UP"));
    }
  }

  @Test
  void refusesToStartWhereItCannotListenNamingTheSetting() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(
              () -> new TestServer(values -> values.with(HttpSettings.PORT, taken.getLocalPort())))
          .isInstanceOf(InvalidSettingException.class)
          .hasMessageStartingWith("TELEMETRY_HTTP_PORT (--http-port) names a port");
    }
    assertThatThrownBy(() -> new TestServer(values -> values.with(HttpSettings.HOST, "192.0.2.1")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("TELEMETRY_HTTP_HOST (--http-host) must be an address of this");
  }

  private static void assertProblem(HttpResponse<String> answer, int status, String contained) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    assertThat(answer.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(answer.body()).contains("\"status\":" + status).contains(contained);
  }
}
