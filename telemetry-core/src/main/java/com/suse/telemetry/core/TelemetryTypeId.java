package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

/**
 * Names one version of a telemetry type, e.g. {@code trento/host_telemetry v1}.
 *
 * <p>Application and type names are lower-case snake case ({@code [a-z][a-z0-9_]*}, at most 63
 * characters), so that they are safe as file, SQL and sink names.
 *
 * @param application the source that publishes the telemetry, e.g. {@code trento}
 * @param telemetryType the kind of telemetry, e.g. {@code host_telemetry}
 * @param schemaVersion the version of the type's schema, 1 or more
 */
public record TelemetryTypeId(String application, String telemetryType, int schemaVersion) {

  /** Checks the names and the version. */
  public TelemetryTypeId {
    requireValidName(application, "application");
    requireValidName(telemetryType, "telemetryType");
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("schemaVersion must be 1 or more, was " + schemaVersion);
    }
  }

  /** Whether {@code name} may be used as an application or telemetry type name. */
  public static boolean isValidName(String name) {
    // Checked on every submission: a loop, not a regular expression.
    if (name == null || name.isEmpty() || name.length() > 63) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      boolean allowed =
          (ch >= 'a' && ch <= 'z') || (i > 0 && (ch == '_' || (ch >= '0' && ch <= '9')));
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static void requireValidName(String name, String what) {
    requireNonNull(name, what);
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          what + " must match [a-z][a-z0-9_]* (at most 63 characters), was '" + name + "'");
    }
  }

  /** Returns {@code application/telemetryType vN}. */
  @Override
  public String toString() {
    return application + "/" + telemetryType + " v" + schemaVersion;
  }
}
