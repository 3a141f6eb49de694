package com.suse.telemetry.http;

import java.util.Map;

/**
 * What {@code /health/ready} reports.
 *
 * @param ready whether the collector can take submissions (its primary store is reachable)
 * @param checks each check's state, shown as JSON
 */
public record Health(boolean ready, Map<String, Object> checks) {

  /** Takes an immutable copy of the checks. */
  public Health {
    checks = Map.copyOf(checks);
  }
}
