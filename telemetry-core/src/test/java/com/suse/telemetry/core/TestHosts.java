package com.suse.telemetry.core;

/**
 * Valid {@code trento/host_telemetry} submissions for core's own tests (telemetry-testkit depends
 * on core, so core's tests cannot use it).
 */
final class TestHosts {

  private static final TelemetryValidator VALIDATOR =
      TelemetryValidator.create(TelemetryTypeRegistry.bundled());

  private TestHosts() {}

  /**
   * {@code count} hosts of one installation, agent ids numbered from {@code firstAgent}, the i-th
   * with {@code cpu_count} i % 20.
   */
  static Submission hosts(int count, int firstAgent) {
    StringBuilder hosts = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      hosts
          .append(i == 0 ? "" : ",")
          .append(
              """
          {"installation_id": "7826342e-8888-8888-8888-253f89af9127",
           "agent_id": "e93c2b22-5555-5555-8666-%012d", "sles_version": "15-SP2",
           "cpu_count": %d, "socket_count": 1, "total_memory_mb": 4096, "cloud_provider": "aws",
           "time": "2024-01-01T00:00:00Z"}"""
                  .formatted(firstAgent + i, i % 20));
    }
    return VALIDATOR
        .validatePayload(
            new TelemetryTypeId("trento", "host_telemetry", 1),
            hosts.append("]").toString().getBytes())
        .submission();
  }
}
