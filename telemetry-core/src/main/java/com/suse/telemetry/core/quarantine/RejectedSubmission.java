package com.suse.telemetry.core.quarantine;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.Violation;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A submission rejected by validation, as the HTTP layer hands it to the quarantine: the body and
 * the facts about it, nothing of the client (no address, no header but the media type).
 *
 * @param route where it came in
 * @param mediaType the {@code Content-Type} it was sent with
 * @param body the body as received, after decompression; owned by this object from now on
 * @param violations why it was rejected
 * @param receivedAt when it arrived
 */
public record RejectedSubmission(
    SubmissionRoute route,
    String mediaType,
    byte[] body,
    List<Violation> violations,
    Instant receivedAt) {

  /** Checks that every part is present, and copies the violations. */
  public RejectedSubmission {
    requireNonNull(route, "route");
    requireNonNull(mediaType, "mediaType");
    requireNonNull(body, "body");
    violations = List.copyOf(violations);
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a rejected submission has at least one violation");
    }
    requireNonNull(receivedAt, "receivedAt");
  }

  /** Equal when every part is, the body's bytes included. */
  @Override
  public boolean equals(Object other) {
    return other instanceof RejectedSubmission that
        && route == that.route
        && mediaType.equals(that.mediaType)
        && Arrays.equals(body, that.body)
        && violations.equals(that.violations)
        && receivedAt.equals(that.receivedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(route, Arrays.hashCode(body), receivedAt);
  }

  /** Its facts, and the body's size but not its content. */
  @Override
  public String toString() {
    return "RejectedSubmission["
        + route.storedName()
        + ", "
        + body.length
        + " bytes, "
        + violations.size()
        + " violation(s), received "
        + receivedAt
        + "]";
  }
}
