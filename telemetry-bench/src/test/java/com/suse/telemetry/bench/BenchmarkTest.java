package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The command line: what each option makes of the plan. */
class BenchmarkTest {

  private static Benchmark parse(String... args) {
    CommandLine commandLine = Benchmark.commandLine();
    commandLine.parseArgs(args);
    return commandLine.getCommand();
  }

  @Test
  void defaultsToAFullRunWithTheCollectorUnder256MebibytesAndPostgresInMemoryToo() {
    Benchmark benchmark = parse();
    Plan plan = benchmark.plan();

    assertThat(plan).isEqualTo(Plan.of(Mode.FULL));
    assertThat(plan.collectorHeap().jvmOption()).isEqualTo("-Xmx256m");
    assertThat(plan.memoryRun()).isTrue();
    assertThat(plan.memoryDirectory()).isEqualTo(Path.of("/dev/shm"));
    assertThat(benchmark.collectorJar)
        .isEqualTo(Path.of("telemetry-app", "target", "telemetry-collector.jar"));
    assertThat(benchmark.out).isEqualTo(Path.of("telemetry-bench", "target"));
  }

  @Test
  void takesTheModeByNameOrAsTheShortOptionsCiAndTheReadmeUse() {
    assertThat(parse("--quick").plan().mode()).isEqualTo(Mode.QUICK);
    assertThat(parse("--smoke").plan().mode()).isEqualTo(Mode.SMOKE);
    assertThat(parse("--mode", "quick").plan().mode()).isEqualTo(Mode.QUICK);
    assertThat(parse("--mode", "SMOKE").plan().mode()).isEqualTo(Mode.SMOKE);
    assertThat(parse("--mode", "full").plan()).isEqualTo(Plan.of(Mode.FULL));
    assertThat(parse("--quick").plan()).isEqualTo(Plan.of(Mode.QUICK));
  }

  @Test
  void refusesTwoModes() {
    assertThatThrownBy(() -> parse("--quick", "--smoke")).isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> parse("--mode", "full", "--quick"))
        .isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> parse("--mode", "fast")).isInstanceOf(ParameterException.class);
  }

  @Test
  void overridesWhatTheModeChose() {
    Plan plan =
        parse(
                "--smoke",
                "--rounds",
                "5",
                "--open-loop-seconds",
                "30",
                "--scale-rows",
                "40000000",
                "--retention-rows",
                "7000000",
                "--commit-connections",
                "4",
                "--collector-heap",
                "1g",
                "--memory-dir",
                "/run/shm")
            .plan();

    assertThat(plan.mode()).isEqualTo(Mode.SMOKE);
    assertThat(plan.rounds()).isEqualTo(5);
    assertThat(plan.openLoopSeconds()).isEqualTo(30);
    assertThat(plan.scaleRows()).isEqualTo(40_000_000);
    assertThat(plan.retentionRows()).isEqualTo(7_000_000);
    assertThat(plan.commitConnections()).isEqualTo(4);
    assertThat(plan.collectorHeap().mebibytes()).isEqualTo(1024);
    assertThat(plan.memoryDirectory()).isEqualTo(Path.of("/run/shm"));
  }

  @Test
  void leavesOutTheMemoryRunOnlyWhenAskedTo() {
    assertThat(parse("--no-memory-run").plan().memoryRun()).isFalse();
    assertThat(parse("--memory-run").plan().memoryRun()).isTrue();
    assertThat(parse("--quick").plan().memoryRun()).isTrue();
  }

  @Test
  void profilesTheCollectorOnlyWhenAskedTo() {
    assertThat(parse("--quick").profile).isFalse();
    assertThat(parse("--quick", "--profile").profile).isTrue();
  }

  @Test
  void refusesAHeapItCannotPassToTheJvm() {
    assertThatThrownBy(() -> parse("--collector-heap", "256"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("256m or 1g");
    assertThatThrownBy(() -> parse("--collector-heap", "lots"))
        .isInstanceOf(ParameterException.class);
  }

  @Test
  void answersAUsageErrorWithExitCodeTwo() {
    CommandLine commandLine = Benchmark.commandLine();
    commandLine.setErr(new PrintWriter(Writer.nullWriter()));

    assertThat(commandLine.execute("--rounds", "0", "--collector-jar", "pom.xml")).isEqualTo(2);
    assertThat(commandLine.execute("--collector-jar", "no-such.jar")).isEqualTo(2);
  }
}
