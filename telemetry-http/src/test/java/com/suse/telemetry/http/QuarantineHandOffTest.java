package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.Violation;
import com.suse.telemetry.core.quarantine.RejectedSubmission;
import com.suse.telemetry.core.quarantine.SubmissionRoute;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What the HTTP API hands to the quarantine, and what it does not. */
class QuarantineHandOffTest {

  private final List<RejectedSubmission> quarantined = new CopyOnWriteArrayList<>();
  private final TestServer server =
      new TestServer(
          values -> values.with(HttpSettings.MAX_BODY_SIZE, 4096L), null, quarantined::add);

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
      out.write(body);
    }
    return compressed.toByteArray();
  }

  private static List<Violation> errors(HttpResponse<String> answer) {
    JsonNode problem = Responses.JSON.readTree(answer.body());
    return problem
        .path("errors")
        .valueStream()
        .map(e -> new Violation(e.path("pointer").asString(), e.path("message").asString()))
        .toList();
  }

  @Test
  void handsOverEachBodyRejectedByValidationAsReceivedWithTheViolationsAnswered()
      throws IOException {
    byte[] envelope =
        bytes(
            TestTelemetry.hostsEnvelopeJson(1, 1)
                .replace("\"cpu_count\":", "\"cpu_count\":-1,\"x\":"));
    byte[] hosts = bytes("[{\"agent_id\": 7}]");
    byte[] malformed = bytes("{\"application\": ");

    HttpResponse<String> first =
        server.post("/api/v1/telemetry", gzip(envelope), "Content-Encoding", "gzip");
    HttpResponse<String> legacy =
        server.post("/api/collect/host", hosts, "Authorization", "Bearer secret");
    HttpResponse<String> broken = server.post("/api/v1/telemetry", malformed);

    assertThat(List.of(first, legacy, broken))
        .extracting(HttpResponse::statusCode)
        .containsOnly(400);
    assertThat(quarantined).hasSize(3);
    RejectedSubmission kept = quarantined.get(0);
    assertThat(kept.route()).isEqualTo(SubmissionRoute.ENVELOPE);
    assertThat(kept.body()).as("decompressed").isEqualTo(envelope);
    assertThat(kept.violations()).isEqualTo(errors(first)).isNotEmpty();
    assertThat(kept.mediaType()).isEqualTo("application/json");
    assertThat(quarantined.get(1).route()).isEqualTo(SubmissionRoute.LEGACY_TRENTO_HOSTS);
    assertThat(quarantined.get(1).body()).isEqualTo(hosts);
    assertThat(quarantined.get(1).violations()).isEqualTo(errors(legacy));
    assertThat(quarantined.get(2).body()).isEqualTo(malformed);
  }

  @Test
  void handsOverNothingRefusedForAnyOtherReason() throws IOException {
    byte[] valid = bytes(TestTelemetry.hostsEnvelopeJson(1, 2));

    assertThat(server.post("/api/v1/telemetry", valid).statusCode()).isEqualTo(202);
    assertThat(
            server
                .send(
                    HttpRequest.newBuilder(server.uri("/api/v1/telemetry"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("{}"))))
                .statusCode())
        .isEqualTo(415);
    assertThat(server.post("/api/v1/telemetry", new byte[5000]).statusCode()).isEqualTo(413);
    assertThat(server.post("/api/v1/telemetry", valid, "Content-Encoding", "gzip").statusCode())
        .as("not gzip: there is no body as received to keep")
        .isEqualTo(400);
    server.memory.setAvailable(false);
    assertThat(server.post("/api/v1/telemetry", valid).statusCode()).isEqualTo(503);

    assertThat(quarantined).isEmpty();
  }

  @Test
  void answers400WhateverTheQuarantineDoes() {
    try (TestServer failing =
        new TestServer(
            UnaryOperator.identity(),
            null,
            rejected -> {
              throw new IllegalStateException("full");
            })) {
      assertThat(failing.post("/api/v1/telemetry", bytes("{}")).statusCode()).isEqualTo(400);
    }
  }
}
