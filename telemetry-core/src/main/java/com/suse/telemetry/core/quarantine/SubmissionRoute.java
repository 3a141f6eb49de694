package com.suse.telemetry.core.quarantine;

import java.util.Locale;

/** Where a submission came in, which says how to read its body again. */
public enum SubmissionRoute {

  /** {@code POST /api/v1/telemetry}: one envelope. */
  ENVELOPE,

  /**
   * Trento's legacy {@code POST /api/collect/hosts} (or {@code /host}): a bare array of hosts,
   * taken as {@code trento/host_telemetry} v1.
   */
  LEGACY_TRENTO_HOSTS;

  /** The route's name as stored: {@code envelope}, {@code legacy_trento_hosts}. */
  public String storedName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The route stored as {@code name}.
   *
   * @throws IllegalArgumentException if no route has that name
   */
  public static SubmissionRoute ofStoredName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
