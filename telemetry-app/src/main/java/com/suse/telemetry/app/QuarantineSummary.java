package com.suse.telemetry.app;

import com.suse.telemetry.core.quarantine.QuarantineGroup;
import com.suse.telemetry.core.quarantine.QuarantineSettings;
import com.suse.telemetry.core.quarantine.QuarantineWriter;
import com.suse.telemetry.core.spi.Quarantine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the management API's {@code GET /quarantine} shows: the quarantine's size against its cap,
 * the writer's counters, and the largest groups, as {@code quarantine list} does.
 */
final class QuarantineSummary implements Supplier<Map<String, Object>> {

  private static final int GROUPS = 50;

  private final Quarantine quarantine;
  private final QuarantineWriter writer;
  private final QuarantineSettings settings;

  QuarantineSummary(Quarantine quarantine, QuarantineWriter writer, QuarantineSettings settings) {
    this.quarantine = quarantine;
    this.writer = writer;
    this.settings = settings;
  }

  @Override
  public Map<String, Object> get() {
    Quarantine.Usage usage = quarantine.usage();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("entries", usage.entries());
    summary.put("bytes", usage.bytes());
    summary.put("max_bytes", settings.maxBytes());
    summary.put("retention_seconds", settings.retention().toSeconds());
    Map<String, Object> counters = new LinkedHashMap<>();
    counters.put("offered", writer.offered());
    counters.put("kept", writer.kept());
    counters.put("repeats", writer.repeats());
    counters.put("missed", writer.missed());
    counters.put("dropped_for_size", writer.droppedForSize());
    counters.put("dropped_for_age", writer.droppedForAge());
    summary.put("since_start", counters);
    List<Map<String, Object>> groups = new ArrayList<>();
    for (QuarantineGroup group : quarantine.groups(GROUPS)) {
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("application", group.application());
      shown.put("telemetry_type", group.telemetryType());
      shown.put("first_violation", group.firstViolation());
      shown.put("entries", group.entries());
      shown.put("received", group.timesReceived());
      shown.put("last_received", group.lastReceived().toString());
      shown.put("latest_id", group.latestId());
      groups.add(shown);
    }
    summary.put("groups", groups);
    return summary;
  }
}
