package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

/**
 * One thing {@link SchemaLint} found in a telemetry type's schema.
 *
 * @param level how much it matters
 * @param file the schema file it concerns, as given
 * @param message what it found, and what to do
 */
public record LintFinding(Level level, String file, String message) {

  /** How much a finding matters. */
  public enum Level {
    /** The type cannot be published as it is. */
    ERROR,
    /** Worth a look: what a new version rejects that the previous one accepted. */
    WARNING,
    /** For information. */
    NOTE
  }

  /** Checks that every part is present. */
  public LintFinding {
    requireNonNull(level, "level");
    requireNonNull(file, "file");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return level + " " + file + ": " + message;
  }
}
