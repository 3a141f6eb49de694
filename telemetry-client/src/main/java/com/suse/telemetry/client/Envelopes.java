package com.suse.telemetry.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.json.JsonMapper;

/** Builds the bytes a publisher sends: envelopes as JSON, then gzipped. */
final class Envelopes {

  private Envelopes() {}

  /**
   * An envelope around {@code payloadJson}, which is copied as it is: the validator then checks the
   * very bytes that are sent, and a payload that is not one JSON value makes the envelope invalid.
   */
  static byte[] compose(
      UUID id,
      Instant time,
      String application,
      String telemetryType,
      int schemaVersion,
      String payloadJson) {
    // The payload comes last, so that a violation's pointer reads /payload/... as the
    // collector's would, and trailing junk in it cannot pass for envelope fields unnoticed.
    String envelope =
        "{\"id\":\""
            + id
            + "\",\"time\":\""
            + time
            + "\",\"application\":"
            + quote(application)
            + ",\"telemetry_type\":"
            + quote(telemetryType)
            + ",\"schema_version\":"
            + schemaVersion
            + ",\"payload\":"
            + payloadJson
            + "}";
    return envelope.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code envelopeJson}, a valid envelope without an id, with {@code id} added as its first
   * property; every other byte stays as it was.
   */
  static byte[] withId(byte[] envelopeJson, UUID id) {
    int brace = 0;
    while (envelopeJson[brace] != '{') {
      brace++; // Only whitespace or a byte order mark can come before a valid object.
    }
    byte[] member = ("\"id\":\"" + id + "\",").getBytes(StandardCharsets.US_ASCII);
    byte[] result = Arrays.copyOf(envelopeJson, envelopeJson.length + member.length);
    System.arraycopy(member, 0, result, brace + 1, member.length);
    System.arraycopy(
        envelopeJson,
        brace + 1,
        result,
        brace + 1 + member.length,
        envelopeJson.length - brace - 1);
    return result;
  }

  /** {@code bytes}, gzipped. */
  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // A stream in memory does not fail.
    }
    return out.toByteArray();
  }

  private static String quote(String text) {
    return JsonMapper.shared().writeValueAsString(text);
  }
}
