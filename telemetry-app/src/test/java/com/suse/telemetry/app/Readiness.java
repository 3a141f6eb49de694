package com.suse.telemetry.app;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What tests of forwarding read: a sink's readiness check, and the agents of host envelopes. */
final class Readiness {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern AGENT = Pattern.compile("\"agent_id\":\"([^\"]+)\"");

  private Readiness() {}

  /** The {@code influxdb} check of {@code collector}'s readiness. */
  static JsonNode influxdb(TestCollector collector) {
    return JSON.readTree(collector.get("/health/ready").body()).path("checks").path("influxdb");
  }

  /** The agents of the hosts in {@code json}, an envelope or payload of Trento hosts. */
  static Set<String> agents(String json) {
    Set<String> agents = new HashSet<>();
    Matcher matcher = AGENT.matcher(json);
    while (matcher.find()) {
      agents.add(matcher.group(1));
    }
    return agents;
  }
}
