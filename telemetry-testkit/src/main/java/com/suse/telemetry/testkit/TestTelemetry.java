package com.suse.telemetry.testkit;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic, reproducible telemetry for tests and benchmarks: Trento hosts generated from a seed,
 * validated by the real validator against the bundled schemas.
 */
public final class TestTelemetry {

  /** trento/host_telemetry v1. */
  public static final TelemetryTypeId TRENTO_HOSTS =
      new TelemetryTypeId("trento", "host_telemetry", 1);

  private static final String[] SLES_VERSIONS = {
    "12-SP5", "15-SP1", "15-SP2", "15-SP3", "15-SP4", "15-SP5", "15-SP6"
  };
  private static final String[] CLOUD_PROVIDERS = {
    "azure", "aws", "gcp", "kvm", "nutanix", "vmware", "unknown", ""
  };
  private static final String[] FLAVORS = {"Community", "Premium"};
  private static final String[] SOURCES = {"community", "suse", "unknown"};
  private static final DateTimeFormatter NANOS_WITH_OFFSET =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx");

  private static TelemetryValidator validator;

  private TestTelemetry() {}

  /** A validator over the bundled types, built once. */
  public static synchronized TelemetryValidator validator() {
    if (validator == null) {
      validator = TelemetryValidator.create(TelemetryTypeRegistry.bundled());
    }
    return validator;
  }

  /**
   * A JSON array of {@code count} Trento hosts, different for each {@code seed}, mixing both
   * generations of Trento publishers: older ones with nanosecond {@code +01:00} times and no
   * flavor, newer ones with microsecond {@code Z} times, flavor, installation source and sometimes
   * a null cloud provider.
   */
  public static String hostsJson(int count, long seed) {
    Random random = new Random(seed);
    UUID installation = uuid(random);
    Instant base = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(random.nextInt(86_400 * 365));
    StringBuilder json = new StringBuilder(count * 330 + 2).append('[');
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        json.append(',');
      }
      Instant time = base.plusNanos(random.nextInt(1_000_000_000)).plusSeconds(i);
      boolean later = random.nextBoolean();
      json.append("{\"installation_id\":\"")
          .append(installation)
          .append("\",\"agent_id\":\"")
          .append(uuid(random))
          .append("\",\"sles_version\":\"")
          .append(pick(random, SLES_VERSIONS))
          .append("\",\"cpu_count\":")
          .append(1 << random.nextInt(8))
          .append(",\"socket_count\":")
          .append(1 + random.nextInt(4))
          .append(",\"total_memory_mb\":")
          .append(1024L << random.nextInt(11))
          .append(",\"cloud_provider\":");
      if (later && random.nextInt(8) == 0) {
        json.append("null");
      } else {
        json.append('"').append(pick(random, CLOUD_PROVIDERS)).append('"');
      }
      if (later) {
        json.append(",\"time\":\"")
            .append(time.truncatedTo(java.time.temporal.ChronoUnit.MICROS))
            .append("\",\"installation_flavor\":\"")
            .append(pick(random, FLAVORS))
            .append("\",\"agent_installation_source\":\"")
            .append(pick(random, SOURCES))
            .append('"');
      } else {
        json.append(",\"time\":\"")
            .append(NANOS_WITH_OFFSET.format(time.atOffset(ZoneOffset.ofHours(1))))
            .append('"');
      }
      json.append('}');
    }
    return json.append(']').toString();
  }

  /** An envelope around {@link #hostsJson}, as sources POST it. */
  public static String hostsEnvelopeJson(int count, long seed) {
    return "{\"application\":\"trento\",\"telemetry_type\":\"host_telemetry\","
        + "\"time\":\"2024-06-01T12:00:00.123456789+02:00\",\"payload\":"
        + hostsJson(count, seed)
        + "}";
  }

  /** {@code count} Trento host records, validated and split as the collector would. */
  public static Submission hosts(int count, long seed) {
    return validate(hostsJson(count, seed));
  }

  /** The same records as {@link #hosts}, under an envelope id. */
  public static Submission hostsWithEnvelopeId(UUID envelopeId, int count, long seed) {
    return Submission.withEnvelopeId(envelopeId, hosts(count, seed).records());
  }

  /** The records of {@code first} and {@code second} in one submission. */
  public static Submission combined(Submission first, Submission second) {
    return Submission.of(
        java.util.stream.Stream.concat(first.records().stream(), second.records().stream())
            .toList());
  }

  /** One record of {@code type} with the given content, for stores that need other types. */
  public static TelemetryRecord record(TelemetryTypeId type, String identity, String json) {
    Instant now = Instant.parse("2024-06-01T12:00:00.123456789Z");
    return new TelemetryRecord(type, now, now, identity, json);
  }

  private static Submission validate(String hostsJson) {
    ValidationResult result =
        validator().validatePayload(TRENTO_HOSTS, hostsJson.getBytes(StandardCharsets.UTF_8));
    if (!result.isValid()) {
      throw new IllegalStateException("generated hosts are invalid: " + result.violations());
    }
    return result.submission();
  }

  private static UUID uuid(Random random) {
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Every record of {@code submissions}, in order. */
  public static List<TelemetryRecord> records(List<Submission> submissions) {
    return submissions.stream().flatMap(s -> s.records().stream()).toList();
  }
}
