package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EnvelopesTest {

  private static final UUID ID = UUID.fromString("0b8e2a4c-6f1d-4c8e-9a57-3e2f1d0c9b7a");

  @Test
  void composesAnEnvelopeQuotingNamesAndCopyingThePayloadAsItIs() {
    byte[] envelope =
        Envelopes.compose(
            ID, Instant.parse("2024-05-17T03:12:45.5Z"), "a\"b", "t\\y", 3, "{\"ratio\": 1.50}");

    assertThat(new String(envelope, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\"0b8e2a4c-6f1d-4c8e-9a57-3e2f1d0c9b7a\",\"time\":\"2024-05-17T03:12:45.500Z\","
                + "\"application\":\"a\\\"b\",\"telemetry_type\":\"t\\\\y\",\"schema_version\":3,"
                + "\"payload\":{\"ratio\": 1.50}}");
  }

  @Test
  void addsAnIdAsTheFirstPropertyLeavingEveryOtherByte() {
    String original = " \n{\"application\": \"sles\",\n \"payload\": {}}\n";

    byte[] withId = Envelopes.withId(original.getBytes(StandardCharsets.UTF_8), ID);

    assertThat(new String(withId, StandardCharsets.UTF_8))
        .isEqualTo(
            " \n{\"id\":\"0b8e2a4c-6f1d-4c8e-9a57-3e2f1d0c9b7a\",\"application\": \"sles\",\n"
                + " \"payload\": {}}\n");
    JsonNode json = JsonMapper.shared().readTree(withId);
    assertThat(json.get("id").asString()).isEqualTo(ID.toString());
  }

  @Test
  void gzipsLosslessly() throws IOException {
    byte[] bytes = "{\"payload\": \"ünïcödé\"}".repeat(100).getBytes(StandardCharsets.UTF_8);

    byte[] gzipped = Envelopes.gzip(bytes);

    assertThat(gzipped.length).isLessThan(bytes.length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }
}
