package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

/**
 * One reason a submission was rejected.
 *
 * @param pointer a JSON Pointer (RFC 6901) into the submitted document, {@code ""} for the whole
 *     document; for a missing property it points at the property that should be there
 * @param message what is wrong there, in words a person sending telemetry can act on
 */
public record Violation(String pointer, String message) {

  /** Checks that both parts are present. */
  public Violation {
    requireNonNull(pointer, "pointer");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
  }
}
