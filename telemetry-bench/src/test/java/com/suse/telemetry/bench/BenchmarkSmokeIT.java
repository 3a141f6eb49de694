package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the benchmark, as its documented command runs it, to keep it working. It checks
 * that every figure is measured and reported, never the figures themselves: timings belong to
 * benchmark runs, not to tests on shared machines.
 */
class BenchmarkSmokeIT {

  @TempDir Path out;

  @Test
  @Timeout(300)
  void runsEveryMeasurementAndReportsEveryTarget() throws Exception {
    Process bench =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "telemetry-bench.jar").toString(),
                "--smoke",
                "--collector-jar",
                Path.of("..", "telemetry-app", "target", "telemetry-collector.jar").toString(),
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bench.waitFor(240, TimeUnit.SECONDS)).isTrue();

    assertThat(bench.exitValue()).as(output).isZero();
    List<String> table = Files.readAllLines(out.resolve("benchmark.txt"));
    assertThat(String.join("\n", table))
        .containsSubsequence(
            "K-H",
            "K-COPY",
            "K-V",
            "End to end",
            "Latency at 70%",
            "K-COMMIT",
            "on disk    collector",
            "on disk    K-COMMIT",
            "in memory  collector",
            "in memory  K-COMMIT",
            "2x overload",
            "adaptive (default; the above)",
            "fixed (another collector)",
            "Scale",
            "rows by partition",
            "Retention",
            "purge --older-than",
            "before the drop",
            "during the drop",
            "peak heap",
            "Targets");
    // The rows went where the measurements say: into monthly partitions, and out again.
    assertThat(table)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(Plan.SCALE_MONTHS + " months, telemetry_")
                    .endsWith(" 0 rows outside the months"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .containsPattern(
                        "purge --older-than .*telemetry_\\d{4}_\\d{2} \\("
                            + Plan.of(Mode.SMOKE).retentionRows()
                            + " rows\\); "
                            + Plan.of(Mode.SMOKE).retentionRows()
                            + " rows removed"));
    assertThat(
            table.stream()
                .filter(
                    line ->
                        line.endsWith(")")
                            && (line.contains(" PASS (")
                                || line.contains(" FAIL (")
                                || line.contains(" n/a ("))))
        .hasSize(Targets.of(Plan.of(Mode.SMOKE)).size());
    assertThat(Files.readString(out.resolve("benchmark.json")))
        .contains(
            "\"rounds\"",
            "\"k_commit\"",
            "\"fixed_admission\"",
            "\"retention\"",
            "\"table_lock\"",
            "\"hdr_histogram_base64\"");
    BufferedImage picture = ImageIO.read(out.resolve("benchmark.png").toFile());
    assertThat(picture.getWidth()).isEqualTo(ResultChart.WIDTH);
  }
}
