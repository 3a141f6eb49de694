package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API end to end: real server on a free port, real PostgreSQL, real HTTP. */
class HttpApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path SCHEMAS = Path.of("..", "schemas");
  private static TestCollector collector;

  @BeforeAll
  static void start() {
    // A fixed number of places: what these tests check is the answers, not how adaptive admission
    // sheds load when a busy machine makes commits slow (AdmissionTest and the benchmark do).
    collector =
        new TestCollector(
            values -> values.with(HttpSettings.ADMISSION, HttpSettings.AdmissionMode.FIXED));
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  @BeforeEach
  void empty() throws Exception {
    try (var connection = collector.database.connect()) {
      connection.createStatement().execute("TRUNCATE telemetry, envelope, outbox, outbox_rejected");
    }
  }

  private static byte[] file(String relative) throws IOException {
    return Files.readAllBytes(SCHEMAS.resolve(relative));
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private static void assertProblem(
      HttpResponse<String> response, int status, String pointer, String messagePart) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asString()).startsWith("https://telemetry.suse.com/problems/");
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    if (pointer != null) {
      assertThat(problem.get("errors").values())
          .anySatisfy(
              error -> {
                assertThat(error.get("pointer").asString()).isEqualTo(pointer);
                assertThat(error.get("message").asString()).contains(messagePart);
              });
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void acceptsTheDesignDocumentExampleAndStoresTwoRows() throws IOException {
    HttpResponse<String> response =
        collector.post(
            "/api/v1/telemetry", file("examples/envelope/valid/design-document-example.json"));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(json(response)).isEqualTo(JSON.readTree("{\"accepted\":2,\"duplicates\":0}"));
    assertThat(collector.rows()).isEqualTo(2);
  }

  @Test
  void acceptsTrentosBareArraysOfBothGenerationsOnBothLegacyPaths() throws IOException {
    HttpResponse<String> goPublisher =
        collector.post(
            "/api/collect/hosts",
            file("trento/host_telemetry/examples/v1/valid/first-generation.json"));
    HttpResponse<String> later =
        collector.post(
            "/api/collect/host",
            file("trento/host_telemetry/examples/v1/valid/later-generation.json"));

    assertThat(goPublisher.statusCode()).isEqualTo(202);
    assertThat(later.statusCode()).isEqualTo(202);
    assertThat(json(later).get("accepted").asInt()).isEqualTo(2);
    assertThat(collector.rows()).isEqualTo(4);
  }

  @Test
  void storesNothingTwiceWhenAnEnvelopeIsSentAgain() throws IOException {
    byte[] envelope = file("examples/envelope/valid/design-document-example.json");
    collector.post("/api/v1/telemetry", envelope);

    HttpResponse<String> again = collector.post("/api/v1/telemetry", envelope);

    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(json(again)).isEqualTo(JSON.readTree("{\"accepted\":0,\"duplicates\":2}"));
    assertThat(collector.rows()).isEqualTo(2);
  }

  @Test
  void storesNothingOfAnEnvelopeIdSeenBefore() {
    String id = UUID.randomUUID().toString();
    String first =
        TestTelemetry.hostsEnvelopeJson(3, 1).replaceFirst("\\{", "{\"id\":\"" + id + "\",");
    String second =
        TestTelemetry.hostsEnvelopeJson(4, 2).replaceFirst("\\{", "{\"id\":\"" + id + "\",");
    collector.post("/api/v1/telemetry", first.getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> resent =
        collector.post("/api/v1/telemetry", second.getBytes(StandardCharsets.UTF_8));

    assertThat(json(resent)).isEqualTo(JSON.readTree("{\"accepted\":0,\"duplicates\":4}"));
    assertThat(collector.rows()).isEqualTo(3);
  }

  @Test
  void rejectsMalformedJsonWithLineAndColumn() {
    HttpResponse<String> response =
        collector.post(
            "/api/v1/telemetry",
            "{\n  \"application\": \"trento\",\n  \"payload\": [}\n}"
                .getBytes(StandardCharsets.UTF_8));

    assertProblem(response, 400, "/payload", "malformed JSON at line 3, column 15");
    assertThat(collector.rows()).isZero();
  }

  @Test
  void rejectsEnvelopeAndPayloadViolationsAllAtOnce() throws IOException {
    String envelope =
        new String(file("examples/envelope/invalid/payload-violation.json"), StandardCharsets.UTF_8)
            .replace("\"time\"", "\"hostname\": \"db01\", \"time\"");

    HttpResponse<String> response =
        collector.post("/api/v1/telemetry", envelope.getBytes(StandardCharsets.UTF_8));

    assertProblem(response, 400, "/payload/1/cpu_count", "integer expected");
    assertProblem(response, 400, "/hostname", "not a known property");
    assertThat(json(response).get("errors").size()).isEqualTo(2);
    assertThat(collector.rows()).isZero();
  }

  @Test
  void rejectsAnUnknownTypeOrVersion() throws IOException {
    assertProblem(
        collector.post(
            "/api/v1/telemetry", file("examples/envelope/invalid/unknown-schema-version.json")),
        400,
        "/schema_version",
        "unknown schema version 7");
    assertProblem(
        collector.post(
            "/api/v1/telemetry", file("examples/envelope/invalid/unknown-application.json")),
        400,
        "/application",
        "unknown application 'wordpad'");
  }

  @Test
  void rejectsALegacyArrayThatIsNotHosts() {
    assertProblem(
        collector.post(
            "/api/collect/hosts", "[{\"agent_id\": 1}]".getBytes(StandardCharsets.UTF_8)),
        400,
        "/0/agent_id",
        "integer found, string expected");
  }

  @Test
  void acceptsAGzipBody() throws IOException {
    HttpResponse<String> response =
        collector.send(
            java.net.http.HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        gzip(
                            TestTelemetry.hostsEnvelopeJson(500, 3)
                                .getBytes(StandardCharsets.UTF_8)))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(collector.rows()).isEqualTo(500);
  }

  @Test
  void cutsOffAGzipBombWhileDecompressing() throws IOException {
    byte[] bomb = gzip(new byte[512 << 20]);
    assertThat(bomb.length).isLessThan(1 << 20);

    long start = System.nanoTime();
    HttpResponse<String> response =
        collector.send(
            java.net.http.HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)));

    assertProblem(response, 413, "", "once decompressed");
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms to refuse").isLessThan(10_000);
    assertThat(collector.get("/api/ping").body()).isEqualTo("pong");
  }

  @Test
  void refusesABodyLargerThanTheLimitOnTheWire() {
    byte[] large = new byte[(1 << 20) + 1];
    java.util.Arrays.fill(large, (byte) ' ');

    assertProblem(collector.post("/api/v1/telemetry", large), 413, "", "larger than 1048576");
    // Without a Content-Length, the limit cuts the stream.
    assertProblem(
        collector.send(
            java.net.http.HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(large)))),
        413,
        "",
        "larger than 1048576");
  }

  @Test
  void refusesOtherMediaTypesAndEncodings() {
    assertProblem(
        collector.send(
            java.net.http.HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b"))),
        415,
        "",
        "Content-Type must be application/json");
    assertProblem(
        collector.send(
            java.net.http.HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))),
        415,
        "",
        "Content-Encoding must be gzip");
    assertProblem(
        collector.send(
            java.net.http.HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{not gzip}"))),
        400,
        "",
        "not valid gzip");
  }

  @Test
  void answersWrongMethodsAndUnknownRoutes() {
    HttpResponse<String> put =
        collector.send(
            java.net.http.HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertProblem(put, 405, null, null);
    assertThat(put.headers().firstValue("Allow")).contains("POST");
    assertProblem(collector.get("/api/v1/telemetry"), 405, null, null);
    assertProblem(collector.get("/api/v2/telemetry"), 404, null, null);
  }

  @Test
  void neverAnswers500ToBadInput() {
    List<byte[]> bodies = new ArrayList<>();
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      byte[] noise = new byte[random.nextInt(2000)];
      random.nextBytes(noise);
      bodies.add(noise);
    }
    for (String text :
        List.of(
            "",
            "null",
            "123",
            "\"\"",
            "[]",
            "{}",
            "{\"a\":1,\"a\":2}",
            "[".repeat(100_000),
            "{\"application\":\"x\u0000\"}",
            "{\"payload\": 1e99999}",
            "{\"application\":\"trento\",\"telemetry_type\":\"host_telemetry\",\"time\":"
                + "\"2021-02-30T00:00:00Z\",\"payload\":[{\"cpu_count\":1e400}]}",
            "\"" + "x".repeat(100_000) + "\"",
            "\uFEFF{}",
            "{\"id\": \"\\ud800\"}")) {
      bodies.add(text.getBytes(StandardCharsets.UTF_8));
    }
    bodies.add(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, '{', 0, '}'});
    // Valid in every other way, but in year 0, which PostgreSQL cannot store.
    bodies.add(
        TestTelemetry.hostsEnvelopeJson(2, 8)
            .replaceAll("\"time\":\"[^\"]+\"", "\"time\":\"0000-06-01T00:00:00Z\"")
            .getBytes(StandardCharsets.UTF_8));

    for (byte[] body : bodies) {
      for (String path : List.of("/api/v1/telemetry", "/api/collect/hosts")) {
        HttpResponse<String> response = collector.post(path, body);
        // Only "[]" is acceptable, to the legacy path: Trento with no hosts.
        assertThat(response.statusCode()).as(path + " " + response.body()).isLessThan(500);
      }
    }
    assertThat(collector.get("/api/ping").body()).isEqualTo("pong");
    assertThat(collector.rows()).isZero();
  }

  @Test
  void takesConcurrentClientsStoringEachRecordOnce() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      byte[] envelope =
          TestTelemetry.hostsEnvelopeJson(10, i % 40).getBytes(StandardCharsets.UTF_8);
      statuses.add(
          clients.submit(() -> collector.post("/api/v1/telemetry", envelope).statusCode()));
    }
    for (Future<Integer> status : statuses) {
      assertThat(status.get()).isEqualTo(202);
    }
    clients.shutdown();

    assertThat(collector.rows()).isEqualTo(400);
  }

  @Test
  void publishesTheRegistryAndEachSchema() {
    JsonNode types = json(collector.get("/api/v1/telemetry-types")).get("telemetry_types");
    assertThat(types.values())
        .anySatisfy(
            type -> {
              assertThat(type.get("application").asString()).isEqualTo("trento");
              assertThat(type.get("schema").asString())
                  .isEqualTo("/api/v1/telemetry-types/trento/host_telemetry/1");
            });

    HttpResponse<String> schema = collector.get("/api/v1/telemetry-types/trento/host_telemetry/1");
    assertThat(schema.statusCode()).isEqualTo(200);
    assertThat(schema.headers().firstValue("Content-Type")).contains("application/schema+json");
    assertThat(json(schema).get("x-telemetry").get("influxdb").get("measurement").asString())
        .isEqualTo("host_telemetry");
    assertThat(collector.get("/api/v1/telemetry-types/trento/host_telemetry/v1").statusCode())
        .isEqualTo(200);
    assertProblem(
        collector.get("/api/v1/telemetry-types/trento/host_telemetry/9"), 404, null, null);
    assertProblem(collector.get("/api/v1/telemetry-types/x;drop/y/1"), 404, null, null);
  }

  @Test
  void answersPingAndHealth() {
    assertThat(collector.get("/api/ping").body()).isEqualTo("pong");
    assertThat(json(collector.get("/health/live")).get("status").asString()).isEqualTo("UP");
    HttpResponse<String> ready = collector.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(json(ready).get("checks").get("postgres").asString()).isEqualTo("UP");
  }
}
