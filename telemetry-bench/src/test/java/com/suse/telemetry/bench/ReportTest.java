package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReportTest {

  private final Measurements measurements = new SampleMeasurements().build();
  private final List<Targets.Evaluation> evaluations = Targets.evaluate(measurements);

  @Test
  void tableHasEverySectionInOrder() {
    String table = String.join("\n", Report.text(measurements, evaluations));

    assertThat(table)
        .startsWith(
            "Telemetry Collector benchmark (quick): 2 cores, PostgreSQL 15.18 (fsync on,"
                + " synchronous_commit on), collector under -Xmx256m")
        .containsSubsequence(
            "Ceilings",
            "K-H    no-op HTTP endpoint, 1-record bodies",
            "K-COPY",
            "K-V",
            "End to end",
            "Latency at 70% of the 100-record maximum",
            "K-COMMIT: plain JDBC",
            "2x overload",
            "admission, at the same rate",
            "adaptive (default; the above)",
            "fixed (another collector)",
            "Scale: 100-record envelopes once 120000 rows are stored over 12 monthly partitions",
            "Retention: a month of 100000 rows (telemetry_2026_12) dropped by the purge command",
            "before the drop",
            "during the drop",
            "Memory of the collector",
            "peak heap in use 200 MiB of 256",
            "Targets");
  }

  @Test
  void tableRowsGiveTheFiguresTheyName() {
    List<String> lines = Report.text(measurements, evaluations);

    assertThat(lines)
        .contains(
            "  K-COPY pgjdbc COPY into the table, 2 streams             70000 records/s",
            "  K-H    no-op HTTP endpoint, 1-record bodies              30000 requests/s (CPU"
                + " busy 60%, the server 35%)",
            "  100 rec        32         500       50000    0.71x    0.03x    100.0    100.0"
                + "      60%    35%");
    assertThat(lines)
        .anySatisfy(
            line -> assertThat(line).matches("  on disk +collector +350 +28\\.0 .* 60% +35%"))
        .anySatisfy(line -> assertThat(line).matches("  +requests/s .* failed CPU busy server"))
        .anySatisfy(line -> assertThat(line).matches("  on disk +K-COMMIT +350 +20\\.0 .*"))
        .anySatisfy(line -> assertThat(line).matches("  in memory +collector +350 +20\\.0 .*"))
        .anySatisfy(line -> assertThat(line).matches("  in memory +K-COMMIT +350 +15\\.0 .*"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("  in memory: PostgreSQL 15.14 (data on tmpfs in /dev/shm"));
  }

  @Test
  void aMachineWhoseProcessorsCannotBeReadShowsNoCpuFigure() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.cpu = CpuUse.UNKNOWN;

    List<String> lines = Report.text(sample.build(), evaluations);

    assertThat(lines)
        .anySatisfy(line -> assertThat(line).matches("  on disk +collector +350 +28\\.0 .* - +-"))
        .noneMatch(line -> line.contains("NaN"));
    assertThat(Report.json(sample.build(), evaluations)).doesNotContain("machine_cpu_busy");
  }

  @Test
  void overloadRowsCompareBothAdmissionsWithTheMaximumAndTheP99AtSaturation() {
    List<String> lines = Report.text(measurements, evaluations);

    // 490 of the maximum's 500 requests/s, p99 150 ms against 100 at saturation; fixed: 400, 300.
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "  adaptive \\(default; the above\\) +49000 +0\\.98x +150\\.\\d"
                            + " +1\\.50x +2000 +0 +60% +35%"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "  fixed \\(another collector\\) +40000 +0\\.80x +300\\.\\d +3\\.00x"
                            + " +1500 +0 +60% +35%"));
  }

  @Test
  void scaleAndRetentionRowsGiveTheirFigures() {
    List<String> lines = Report.text(measurements, evaluations);

    assertThat(lines)
        .contains(
            "  46000 records/s, 0.92x the empty table's 50000; p50 100.0 ms, p99 100.0 ms; CPU busy"
                + " 60%",
            "  rows by partition (ANALYZE's estimate): 2 months, telemetry_2026_12 to"
                + " telemetry_2027_01, 10000 to 10000 rows each, the envelopes dated in the first;"
                + " 0 rows outside the months",
            "  purge --older-than 2027-01-01: dropped telemetry_before (0 rows),"
                + " telemetry_2026_12 (100000 rows); 100000 rows removed in 2.5 s (the whole"
                + " command, JVM start included)",
            "  the table's exclusive lock held or waited for 120 ms, seen 1 time(s) (sampled from"
                + " pg_locks, every 8 ms at most)");
    assertThat(lines)
        .anySatisfy(line -> assertThat(line).matches("  before the drop +350 +30\\.0 .*"))
        .anySatisfy(line -> assertThat(line).matches("  during the drop +350 +45\\.0 .*"))
        .noneMatch(line -> line.contains("warning"));
  }

  @Test
  void warnsWhenRowsWereStoredOutsideTheMonths() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.rowsOutsideTheMonths = 7;
    Measurements m = sample.build();

    assertThat(Report.text(m, Targets.evaluate(m)))
        .contains(
            "  warning: 7 rows are outside the monthly partitions, in telemetry_before or"
                + " telemetry_after");
  }

  @Test
  void saysWhyThePurgeCommandFailed() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.partitionDropped = false;
    sample.purgeFailure = "Cannot purge: lock timeout";
    Measurements m = sample.build();

    assertThat(Report.text(m, Targets.evaluate(m)))
        .contains("  warning: the purge command failed: Cannot purge: lock timeout");
    assertThat(Report.json(m, Targets.evaluate(m))).contains("\"failure\" : \"Cannot purge");
  }

  @Test
  void tableEndsWithOneLinePerTargetAndItsVerdict() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.memoryRun = false;
    sample.validation = 250_000;
    Measurements m = sample.build();
    List<String> lines = Report.text(m, Targets.evaluate(m));

    List<String> targets = lines.subList(lines.indexOf("Targets") + 1, lines.size());
    assertThat(targets).hasSize(Targets.of(m.plan()).size());
    assertThat(targets)
        .contains(
            "  K-V >= 300,000 records/s on one thread                             FAIL (250000)",
            "  p99 at 70% load, in memory <= 1.5 x K-COMMIT's p99                 n/a (not"
                + " measured)");
    assertThat(lines).noneMatch(line -> line.startsWith("  in memory"));
  }

  @Test
  void jsonHoldsEveryFigureAndTheHistograms() throws Exception {
    JsonNode json = JsonMapper.builder().build().readTree(Report.json(measurements, evaluations));

    assertThat(json.get("plan").get("mode").asString()).isEqualTo("quick");
    assertThat(json.get("ceilings").get("kcopy_records_per_second").asDouble()).isEqualTo(70_000);
    assertThat(json.get("rounds")).hasSize(1);
    assertThat(json.get("end_to_end")).hasSize(4);
    JsonNode disk = json.get("latency_70").get(0);
    assertThat(disk.get("store").asString()).isEqualTo("disk");
    assertThat(disk.get("k_commit").get("latency").get("p99_ms").asDouble()).isBetween(20.0, 20.1);
    assertThat(disk.get("k_commit").get("machine_cpu_busy").asDouble()).isEqualTo(0.6);
    assertThat(disk.get("collector").get("server_cpu_share").asDouble()).isEqualTo(0.35);
    assertThat(json.get("latency_70").get(1).get("store").asString()).isEqualTo("memory");
    String encoded = disk.get("collector").get("latency").get("hdr_histogram_base64").asString();
    Histogram histogram =
        Histogram.decodeFromCompressedByteBuffer(
            ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
    assertThat(histogram.getTotalCount()).isEqualTo(1_400);
    assertThat(json.get("overload").get("fixed_admission").get("accepted").asLong())
        .isEqualTo(1_600);
    assertThat(json.get("scale").get("months").asInt()).isEqualTo(12);
    assertThat(json.get("scale").get("vs_empty_table").asDouble()).isEqualTo(0.92);
    assertThat(json.get("scale").get("partitions")).hasSize(5);
    JsonNode retention = json.get("retention");
    assertThat(retention.get("purge").get("rows_removed").asLong()).isEqualTo(100_000);
    assertThat(retention.get("purge").get("dropped").get(1).get("partition").asString())
        .isEqualTo("telemetry_2026_12");
    assertThat(retention.get("table_lock").get("held_ms").asDouble()).isEqualTo(120);
    assertThat(retention.get("during").get("latency").get("p99_ms").asDouble())
        .isBetween(45.0, 45.1);
    assertThat(json.get("targets")).hasSize(evaluations.size());
    assertThat(json.get("targets").get(0).get("status").asString()).isEqualTo("PASS");
  }
}
