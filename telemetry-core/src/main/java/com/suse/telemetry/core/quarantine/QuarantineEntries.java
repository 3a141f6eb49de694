package com.suse.telemetry.core.quarantine;

import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.internal.JsonDocuments;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;

/** Turns a rejected submission into what the quarantine keeps of it. */
final class QuarantineEntries {

  /** What a legacy Trento body is taken as. */
  static final TelemetryTypeId TRENTO_HOSTS = new TelemetryTypeId("trento", "host_telemetry", 1);

  private static final int MAX_MEDIA_TYPE_LENGTH = 200;
  private static final int MAX_SCHEMA_VERSION = 999_999_999;

  private QuarantineEntries() {}

  /**
   * The entry for {@code rejected}: its fingerprint, the type it claimed where that can be read,
   * and its body, cut to {@code maxMalformedBytes} when it is not even JSON (such a body can never
   * pass validation, so only its beginning is worth keeping to look at).
   */
  static QuarantinedSubmission of(RejectedSubmission rejected, long maxMalformedBytes) {
    byte[] body = rejected.body();
    JsonDocuments.Parsed parsed = JsonDocuments.parse(body);
    String application = null;
    String telemetryType = null;
    int version = 0;
    if (rejected.route() == SubmissionRoute.LEGACY_TRENTO_HOSTS) {
      application = TRENTO_HOSTS.application();
      telemetryType = TRENTO_HOSTS.telemetryType();
      version = TRENTO_HOSTS.schemaVersion();
    } else if (parsed.isValid() && parsed.root().isObject()) {
      JsonNode envelope = parsed.root();
      application = name(envelope.path("application"));
      telemetryType = application == null ? null : name(envelope.path("telemetry_type"));
      JsonNode claimed = envelope.path("schema_version");
      if (claimed.isMissingNode()) {
        version = 1;
      } else if (claimed.isIntegralNumber()
          && claimed.canConvertToInt()
          && claimed.intValue() >= 1
          && claimed.intValue() <= MAX_SCHEMA_VERSION) {
        version = claimed.intValue();
      }
    }
    byte[] kept =
        parsed.isValid() || body.length <= maxMalformedBytes
            ? body
            : Arrays.copyOf(body, (int) maxMalformedBytes);
    String mediaType = rejected.mediaType();
    if (mediaType.length() > MAX_MEDIA_TYPE_LENGTH) {
      mediaType = mediaType.substring(0, MAX_MEDIA_TYPE_LENGTH);
    }
    return new QuarantinedSubmission(
        0,
        fingerprint(rejected.route(), body),
        rejected.route(),
        mediaType,
        application,
        telemetryType,
        version,
        rejected.violations(),
        kept,
        body.length,
        rejected.receivedAt(),
        rejected.receivedAt(),
        1);
  }

  /** SHA-256 over the route and the whole body, as 64 hex digits. */
  static String fingerprint(SubmissionRoute route, byte[] body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(route.storedName().getBytes(StandardCharsets.US_ASCII));
      sha256.update((byte) '\n');
      return HexFormat.of().formatHex(sha256.digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The same body received more than once in one batch: one entry, counted as often. */
  static QuarantinedSubmission merged(QuarantinedSubmission a, QuarantinedSubmission b) {
    return new QuarantinedSubmission(
        0,
        a.fingerprint(),
        a.route(),
        a.mediaType(),
        a.application(),
        a.telemetryType(),
        a.schemaVersion(),
        a.violations(),
        a.body(),
        a.receivedSize(),
        a.firstReceived().isBefore(b.firstReceived()) ? a.firstReceived() : b.firstReceived(),
        a.lastReceived().isAfter(b.lastReceived()) ? a.lastReceived() : b.lastReceived(),
        a.timesReceived() + b.timesReceived());
  }

  private static String name(JsonNode node) {
    return node.isString() && TelemetryTypeId.isValidName(node.stringValue())
        ? node.stringValue()
        : null;
  }
}
