package com.suse.telemetry.core.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Computes a record's identity: the first 128 bits of a SHA-256 over the canonical JSON of its
 * identity fields (or of the whole record when the type declares none), as 32 hex digits. Equal
 * records have equal identities whatever their key order or whitespace, and a record time counts as
 * the instant it names, whatever offset it was written with.
 */
public final class RecordIdentity {

  private static final HexFormat HEX = HexFormat.of();

  // Looking the algorithm up costs more than hashing a record; each thread keeps its own.
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every Java platform has SHA-256", e);
            }
          });

  private RecordIdentity() {}

  /**
   * The identity of {@code record}.
   *
   * @param identityFields the fields that identify a record, or empty for the whole record
   * @param timeField the field the record time was read from, or null
   * @param recordTime the record's time
   */
  public static String of(
      JsonNode record, List<String> identityFields, String timeField, Instant recordTime) {
    JsonNode identifying = record;
    if (!identityFields.isEmpty()) {
      ArrayNode values = JsonNodeFactory.instance.arrayNode(identityFields.size());
      for (String field : identityFields) {
        if (field.equals(timeField) && record.path(field).isString()) {
          values.add(recordTime.toString());
        } else {
          values.add(
              record.path(field).isMissingNode()
                  ? JsonNodeFactory.instance.nullNode()
                  : record.get(field));
        }
      }
      identifying = values;
    }
    return hash(JsonDocuments.writeCanonical(identifying));
  }

  private static String hash(byte[] canonical) {
    byte[] digest = SHA_256.get().digest(canonical);
    return HEX.formatHex(digest, 0, 16);
  }
}
