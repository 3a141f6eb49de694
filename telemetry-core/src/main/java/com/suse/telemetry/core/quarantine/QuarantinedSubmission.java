package com.suse.telemetry.core.quarantine;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.Violation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One submission kept in quarantine: its body and the facts about it. The same body sent again on
 * the same route has the same fingerprint and is kept once, counted in {@link #timesReceived()}.
 *
 * @param id the quarantine's number for it; 0 before it is kept
 * @param fingerprint SHA-256 of the route and the whole body as received, 64 hex digits
 * @param route where it came in
 * @param mediaType the {@code Content-Type} it was sent with
 * @param application the application it claimed, when it could be read as a valid name; else null
 * @param telemetryType the telemetry type it claimed, when it could be read; else null
 * @param schemaVersion the schema version it claimed (1 when the envelope named none); 0 when
 *     unknown
 * @param violations every reason it was rejected, as answered the first time
 * @param body the body as received after decompression, or its beginning when it was cut (see
 *     {@link #isTruncated()})
 * @param receivedSize how many bytes the body had as received
 * @param firstReceived when it first arrived
 * @param lastReceived when it last arrived
 * @param timesReceived how many times it arrived
 */
public record QuarantinedSubmission(
    long id,
    String fingerprint,
    SubmissionRoute route,
    String mediaType,
    String application,
    String telemetryType,
    int schemaVersion,
    List<Violation> violations,
    byte[] body,
    int receivedSize,
    Instant firstReceived,
    Instant lastReceived,
    long timesReceived) {

  /** Checks that the parts are present and consistent, and copies the violations. */
  public QuarantinedSubmission {
    requireNonNull(fingerprint, "fingerprint");
    requireNonNull(route, "route");
    requireNonNull(mediaType, "mediaType");
    violations = List.copyOf(violations);
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a quarantined submission has at least one violation");
    }
    requireNonNull(body, "body");
    if (receivedSize < body.length) {
      throw new IllegalArgumentException("receivedSize is less than the body kept");
    }
    requireNonNull(firstReceived, "firstReceived");
    requireNonNull(lastReceived, "lastReceived");
    if (timesReceived < 1) {
      throw new IllegalArgumentException("timesReceived must be 1 or more");
    }
  }

  /** Whether only the beginning of the body was kept (a malformed body over its limit). */
  public boolean isTruncated() {
    return body.length < receivedSize;
  }

  /**
   * What this entry counts against the quarantine's size cap: the body kept and the text of its
   * violations.
   */
  public long size() {
    long size = body.length;
    for (Violation violation : violations) {
      size += violation.pointer().length() + violation.message().length();
    }
    return size;
  }

  /**
   * The first violation as entries are grouped by it: its pointer with array indexes written as
   * {@code *} (so that the same problem in every host of a payload is one group), and its message.
   */
  public String firstViolation() {
    Violation first = violations.get(0);
    String pointer = first.pointer().replaceAll("/[0-9]+(?=/|$)", "/*");
    return (pointer.isEmpty() ? "(document)" : pointer) + ": " + first.message();
  }

  /** The type it claimed, as {@code application/type vN}, or as much of it as is known. */
  public String claimedType() {
    if (application == null) {
      return "unknown";
    }
    return application
        + "/"
        + (telemetryType == null ? "?" : telemetryType)
        + (schemaVersion > 0 ? " v" + schemaVersion : "");
  }

  /** The body as text, for people: UTF-8, with any invalid bytes replaced. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Equal when every part is, the body's bytes included. */
  @Override
  public boolean equals(Object other) {
    return other instanceof QuarantinedSubmission that
        && id == that.id
        && fingerprint.equals(that.fingerprint)
        && route == that.route
        && mediaType.equals(that.mediaType)
        && Objects.equals(application, that.application)
        && Objects.equals(telemetryType, that.telemetryType)
        && schemaVersion == that.schemaVersion
        && violations.equals(that.violations)
        && Arrays.equals(body, that.body)
        && receivedSize == that.receivedSize
        && firstReceived.equals(that.firstReceived)
        && lastReceived.equals(that.lastReceived)
        && timesReceived == that.timesReceived;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, fingerprint, timesReceived, lastReceived);
  }

  /** Its facts, and the body's size but not its content. */
  @Override
  public String toString() {
    return "QuarantinedSubmission[id="
        + id
        + ", route="
        + route.storedName()
        + ", claimed "
        + claimedType()
        + ", "
        + firstViolation()
        + ", body "
        + body.length
        + " of "
        + receivedSize
        + " bytes, received "
        + timesReceived
        + " times, "
        + firstReceived
        + " to "
        + lastReceived
        + "]";
  }
}
