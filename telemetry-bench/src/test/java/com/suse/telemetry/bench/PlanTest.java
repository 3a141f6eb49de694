package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.bench.Plan.Probe;
import com.suse.telemetry.bench.Plan.Probe.Kind;
import com.suse.telemetry.bench.Plan.Step;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

  @Test
  void fullModeMeasuresLongEnoughToJudgeTargetsBy() {
    Plan plan = Plan.of(Mode.FULL);

    assertThat(plan.rounds()).isEqualTo(3);
    assertThat(plan.openLoopSeconds()).isEqualTo(60);
    assertThat(plan.mode().seconds).isEqualTo(15);
    assertThat(plan.mode().serverWarmup).isEqualTo(60);
    assertThat(plan.mode().sizes).containsExactly(1, 10, 100, 1000);
    assertThat(plan.scaleRows()).isEqualTo(20_000_000);
    assertThat(plan.retentionRows()).isEqualTo(5_000_000);
    assertThat(plan.collectorHeap().mebibytes()).isEqualTo(256);
    assertThat(plan.commitConnections()).isEqualTo(8);
  }

  @Test
  void everyModeRunsBothLatencyComparisonsAfterTheRoundsTheirRateComesFrom() {
    for (Mode mode : Mode.values()) {
      assertThat(Plan.of(mode).steps())
          .as(mode.label())
          .containsExactly(
              Step.VALIDATION_CEILING,
              Step.WARM_UP,
              Step.ROUNDS,
              Step.LATENCY_ON_DISK,
              Step.OVERLOAD,
              Step.FIXED_ADMISSION,
              Step.SCALE,
              Step.RETENTION,
              Step.LATENCY_IN_MEMORY);
    }
  }

  @Test
  void withoutTheMemoryRunLeavesOutOnlyTheInMemoryComparison() {
    Plan plan =
        new Plan(
            Mode.QUICK, 1, 4, 300_000, 100_000, 8, Plan.DEFAULT_HEAP, false, Path.of("/dev/shm"));

    assertThat(plan.steps()).doesNotContain(Step.LATENCY_IN_MEMORY).contains(Step.LATENCY_ON_DISK);
  }

  @Test
  void aRoundAlternatesCeilingsAndCollector() {
    assertThat(Plan.of(Mode.QUICK).round())
        .containsExactly(
            new Probe(Kind.NO_OP_HTTP, 1),
            new Probe(Kind.COLLECTOR, 1),
            new Probe(Kind.NO_OP_HTTP, 100),
            new Probe(Kind.COLLECTOR, 10),
            new Probe(Kind.COLLECTOR, 100),
            new Probe(Kind.COLLECTOR, 1000),
            new Probe(Kind.COPY, 0));
    assertThat(Plan.of(Mode.SMOKE).round())
        .containsExactly(
            new Probe(Kind.NO_OP_HTTP, 1),
            new Probe(Kind.COLLECTOR, 1),
            new Probe(Kind.NO_OP_HTTP, 100),
            new Probe(Kind.COLLECTOR, 100),
            new Probe(Kind.COPY, 0));
  }

  @Test
  void smokeAndQuickAreShort() {
    for (Mode mode : List.of(Mode.SMOKE, Mode.QUICK)) {
      Plan plan = Plan.of(mode);
      assertThat(plan.rounds()).as(mode.label()).isEqualTo(1);
      assertThat(plan.openLoopSeconds()).as(mode.label()).isLessThanOrEqualTo(4);
      assertThat(plan.mode().serverWarmup).as(mode.label()).isLessThanOrEqualTo(12);
    }
    assertThat(Plan.of(Mode.SMOKE).mode().sizes).containsExactly(1, 100);
  }

  @Test
  void smokeStoresOnlyAFewRowsAndQuickAFewHundredThousand() {
    assertThat(Plan.of(Mode.SMOKE).scaleRows()).isLessThanOrEqualTo(Plan.SCALE_MONTHS * 100L);
    assertThat(Plan.of(Mode.SMOKE).retentionRows()).isLessThanOrEqualTo(1_000);
    assertThat(Plan.of(Mode.QUICK).scaleRows()).isLessThanOrEqualTo(300_000);
    assertThat(Plan.of(Mode.QUICK).retentionRows()).isLessThanOrEqualTo(100_000);
    assertThat(Plan.SCALE_MONTHS).isGreaterThanOrEqualTo(12);
  }

  @Test
  void refusesAPlanThatMeasuresNothing() {
    assertThatThrownBy(
            () -> new Plan(Mode.FULL, 0, 60, 0, 0, 8, Plan.DEFAULT_HEAP, true, Path.of("/dev/shm")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Plan(Mode.FULL, 1, 60, 0, 0, 0, Plan.DEFAULT_HEAP, true, Path.of("/dev/shm")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new Plan(Mode.FULL, 1, 60, 0, -1, 8, Plan.DEFAULT_HEAP, true, Path.of("/dev/shm")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clientsShrinkAsEnvelopesGrowAndAreNeverMoreThanAdmissionAlwaysTakes() {
    assertThat(Plan.clients(1)).isEqualTo(32);
    assertThat(Plan.clients(10)).isEqualTo(32);
    assertThat(Plan.clients(100)).isEqualTo(32);
    assertThat(Plan.clients(1000)).isEqualTo(8);
  }
}
