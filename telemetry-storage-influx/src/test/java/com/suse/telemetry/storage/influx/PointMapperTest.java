package com.suse.telemetry.storage.influx;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden tests: the exact line protocol each record becomes. */
class PointMapperTest {

  private static final TelemetryTypeRegistry BUNDLED = TelemetryTypeRegistry.bundled();
  private static final TelemetryTypeId HOSTS = new TelemetryTypeId("trento", "host_telemetry", 1);
  private static final TelemetryTypeId PROBE = new TelemetryTypeId("acme", "probe", 1);

  @TempDir static Path schemas;
  private static TelemetryTypeRegistry probes;

  @BeforeAll
  static void defineAProbeTypeWithEveryKindOfField() throws IOException {
    Path file = schemas.resolve("acme/probe/v1.schema.json");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        {"type": "object", "properties": {
           "site": {"type": "string"}, "rack": {"type": ["string", "null"]},
           "label": {"type": ["string", "null"]}, "count": {"type": "integer"},
           "load": {"type": "number"}, "ok": {"type": "boolean"}, "extra": {"type": "object"}},
         "x-telemetry": {"influxdb": {"measurement": "probe", "tags": ["site", "rack"]}}}""");
    probes = TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(schemas).build();
  }

  private static String line(TelemetryTypeRegistry registry, TelemetryTypeId id, String json) {
    TelemetryRecord record =
        TelemetryValidator.create(registry)
            .validatePayload(id, json.getBytes(StandardCharsets.UTF_8))
            .submission()
            .records()
            .get(0);
    PointMapper.Point point = map(registry.find(id).orElseThrow(), record);
    return point.line() == null ? "refused: " + point.refusal() : point.line();
  }

  private static PointMapper.Point map(TelemetryType type, TelemetryRecord record) {
    InfluxMapping mapping =
        new InfluxMappingReader()
            .read(type, type.sinkSection("influxdb").orElse(java.util.Map.of()));
    return PointMapper.map(mapping, type.properties(), record);
  }

  private static String probe(String json) {
    return line(probes, PROBE, json);
  }

  @Test
  void writesTrentoHostsAsTheOriginalCollectorDid() {
    String line =
        line(
            BUNDLED,
            HOSTS,
            """
        [{"installation_id": "7826342e-8888-8888-8888-253f89af9127",
          "agent_id": "e93c2b22-5555-5555-8666-12372d2cb8ac", "sles_version": "15-SP2",
          "cpu_count": 2, "socket_count": 8, "total_memory_mb": 4096, "cloud_provider": "azure",
          "time": "2021-11-23T11:04:02.462687463+01:00", "installation_flavor": "Premium",
          "agent_installation_source": "suse"}]""");

    assertThat(line)
        .isEqualTo(
            "host_telemetry,agent_id=e93c2b22-5555-5555-8666-12372d2cb8ac,"
                + "installation_id=7826342e-8888-8888-8888-253f89af9127 agent_installation_source=\"suse\","
                + "cloud_provider=\"azure\",cpu_count=2i,installation_flavor=\"Premium\","
                + "sles_version=\"15-SP2\",socket_count=8i,total_memory_mb=4096i 1637661842462687463");
  }

  @Test
  void leavesOutNullAndAbsentProperties() {
    String line =
        line(
            BUNDLED,
            HOSTS,
            """
        [{"installation_id": "7826342e-8888-8888-8888-253f89af9127",
          "agent_id": "e93c2b22-5555-5555-8666-12372d2cb8ac", "sles_version": "15-SP2",
          "cpu_count": 2, "socket_count": 8, "total_memory_mb": 4096, "cloud_provider": null,
          "time": "2022-07-27T10:00:00.123456Z"}]""");

    assertThat(line)
        .isEqualTo(
            "host_telemetry,agent_id=e93c2b22-5555-5555-8666-12372d2cb8ac,"
                + "installation_id=7826342e-8888-8888-8888-253f89af9127 cpu_count=2i,"
                + "sles_version=\"15-SP2\",socket_count=8i,total_memory_mb=4096i 1658916000123456000");
  }

  @Test
  void writesEachKindOfValueAsItsLineProtocolType() {
    assertThat(
            probe(
                """
        {"site": "fra", "count": 2.0, "load": 0.25, "ok": false, "label": "", "extra": {}}"""))
        .startsWith("probe,site=fra count=2i,label=\"\",load=0.25,ok=false ");
    assertThat(probe("{\"site\": \"fra\", \"load\": 3}")).startsWith("probe,site=fra load=3.0 ");
  }

  @Test
  void escapesSpecialCharactersInMeasurementTagsAndFields() {
    assertThat(
            probe(
                """
        {"site": "a b,c=d\\\\", "rack": "line\\nbreak", "label": "say \\"hi\\", \\\\o/\\nbye ü€"}"""))
        .startsWith(
            "probe,rack=line\\nbreak,site=a\\ b\\,c\\=d\\\\ "
                + "label=\"say \\\"hi\\\", \\\\o/\\nbye ü€\" ");
  }

  @Test
  void leavesOutEmptyTags() {
    assertThat(probe("{\"site\": \"\", \"count\": 1}")).startsWith("probe count=1i ");
  }

  @Test
  void refusesARecordWithNoFieldValueAndSaysWhy() {
    assertThat(probe("{\"site\": \"fra\", \"label\": null}"))
        .isEqualTo("refused: no field has a value, and InfluxDB holds no point without one");
  }

  @Test
  void refusesARecordWithAValueInfluxDbCannotHoldRatherThanLeaveTheValueOut() {
    assertThat(probe("{\"site\": \"fra\", \"count\": 9223372036854775807, \"ok\": true}"))
        .startsWith("probe,site=fra count=9223372036854775807i,ok=true ");
    assertThat(probe("{\"site\": \"fra\", \"count\": 9223372036854775808, \"ok\": true}"))
        .isEqualTo(
            "refused: field 'count': 9223372036854775808 is outside InfluxDB's integer range"
                + " (64 bits, signed)");
    assertThat(probe("{\"site\": \"fra\", \"count\": -9223372036854775809}"))
        .startsWith("refused: field 'count': -9223372036854775809 is outside");
    assertThat(probe("{\"site\": \"fra\", \"load\": 1e400, \"ok\": true}"))
        .isEqualTo("refused: field 'load': Infinity is outside InfluxDB's float range");
  }

  @Test
  void refusesARecordTimedOutsideInfluxDbsRange() {
    TelemetryRecord record =
        new TelemetryRecord(
            PROBE,
            Instant.parse("2300-01-01T00:00:00Z"),
            Instant.now(),
            "0".repeat(32),
            "{\"count\": 1}");

    assertThat(map(probes.find(PROBE).orElseThrow(), record).refusal())
        .isEqualTo(
            "record time 2300-01-01T00:00:00Z is outside InfluxDB's range"
                + " (1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z)");
  }

  @Test
  void keepsNanosecondsBeforeTheEpoch() {
    TelemetryRecord record =
        new TelemetryRecord(
            PROBE,
            Instant.parse("1969-12-31T23:59:59.5Z"),
            Instant.now(),
            "0".repeat(32),
            "{\"count\": 1}");

    assertThat(map(probes.find(PROBE).orElseThrow(), record).line())
        .isEqualTo("probe count=1i -500000000");
  }
}
