package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.bench.Verdict.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

  private static Verdict verdict(SampleMeasurements sample, String target) {
    List<Targets.Evaluation> evaluations = Targets.evaluate(sample.build());
    return evaluations.stream()
        .filter(evaluation -> evaluation.target().description().equals(target))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no target '" + target + "' in " + evaluations))
        .verdict();
  }

  private static Status status(SampleMeasurements sample, String target) {
    return verdict(sample, target).status();
  }

  @Test
  void aRunThatMeetsEveryTargetPassesThemAll() {
    List<Targets.Evaluation> evaluations = Targets.evaluate(new SampleMeasurements().build());

    assertThat(evaluations)
        .extracting(evaluation -> evaluation.target().description())
        .containsExactly(
            "E2E records/s, 100-record envelopes >= 0.7 x K-COPY",
            "E2E requests/s, 1-record envelopes >= 0.45 x K-H",
            "K-V >= 300,000 records/s on one thread",
            "p99 at 70% load, on disk <= 1.5 x K-COMMIT's p99",
            "p99 at 70% load, on disk <= 50 ms where K-COMMIT's p99 < 30 ms",
            "p99 at 70% load, in memory <= 1.5 x K-COMMIT's p99",
            "p99 at 70% load, in memory <= 50 ms where K-COMMIT's p99 < 30 ms",
            "2x overload: accepted >= 0.95 x the maximum",
            "2x overload: accepted p99 <= 2 x their p99 at saturation",
            "2x overload: sheds only with 503/429 + Retry-After",
            "2x overload: heap within -Xmx256m, no OutOfMemoryError",
            "E2E at 120000 rows in 12 monthly partitions >= 0.9 x the empty table",
            "Retention: dropping a month of 100000 rows locks the table < 1 s",
            "Retention: p99 during the drop <= 2 x p99 before");
    assertThat(evaluations)
        .allSatisfy(e -> assertThat(e.verdict().status()).isEqualTo(Status.PASS));
  }

  @Test
  void endToEndIsJudgedAgainstCopyAndTheNoOpEndpoint() {
    SampleMeasurements slow = new SampleMeasurements();
    slow.collectorRequests.put(100, 0.69 * 70_000 / 100);
    slow.collectorRequests.put(1, 0.44 * 30_000);

    assertThat(verdict(slow, "E2E records/s, 100-record envelopes >= 0.7 x K-COPY"))
        .isEqualTo(new Verdict(Status.FAIL, "0.69"));
    assertThat(verdict(slow, "E2E requests/s, 1-record envelopes >= 0.45 x K-H"))
        .isEqualTo(new Verdict(Status.FAIL, "0.44"));

    SampleMeasurements justEnough = new SampleMeasurements();
    justEnough.collectorRequests.put(100, 0.7 * 70_000 / 100);
    assertThat(status(justEnough, "E2E records/s, 100-record envelopes >= 0.7 x K-COPY"))
        .isEqualTo(Status.PASS);
  }

  @Test
  void validationNeedsThreeHundredThousandRecordsASecond() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.validation = 292_740;

    assertThat(verdict(sample, "K-V >= 300,000 records/s on one thread"))
        .isEqualTo(new Verdict(Status.FAIL, "292740"));
  }

  @Test
  void theCollectorMayAddHalfOfPostgresqlsOwnP99() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.commitDiskMillis = 115;
    sample.collectorDiskMillis = 243;
    sample.commitMemoryMillis = 128;
    sample.collectorMemoryMillis = 180;

    Verdict disk = verdict(sample, "p99 at 70% load, on disk <= 1.5 x K-COMMIT's p99");
    assertThat(disk.status()).isEqualTo(Status.FAIL);
    assertThat(disk.measured()).startsWith("2.11x: 243.").contains(" ms vs 115.");
    assertThat(status(sample, "p99 at 70% load, in memory <= 1.5 x K-COMMIT's p99"))
        .isEqualTo(Status.PASS);
  }

  @Test
  void fiftyMillisecondsAreOwedOnlyWherePostgresqlCommitsFast() {
    String disk = "p99 at 70% load, on disk <= 50 ms where K-COMMIT's p99 < 30 ms";
    SampleMeasurements slowDatabase = new SampleMeasurements();
    slowDatabase.commitDiskMillis = 35;
    slowDatabase.collectorDiskMillis = 52;
    assertThat(status(slowDatabase, disk)).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(verdict(slowDatabase, disk).measured()).startsWith("K-COMMIT's p99 is 35.");

    SampleMeasurements fastDatabase = new SampleMeasurements();
    fastDatabase.commitDiskMillis = 20;
    fastDatabase.collectorDiskMillis = 29.9;
    assertThat(status(fastDatabase, disk)).isEqualTo(Status.PASS);
    fastDatabase.collectorDiskMillis = 60;
    assertThat(status(fastDatabase, disk)).isEqualTo(Status.FAIL);
  }

  @Test
  void latencyInMemoryIsNotApplicableWhenNotMeasured() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.memoryRun = false;

    assertThat(verdict(sample, "p99 at 70% load, in memory <= 1.5 x K-COMMIT's p99"))
        .isEqualTo(Verdict.notApplicable("not measured"));
    assertThat(verdict(sample, "p99 at 70% load, in memory <= 50 ms where K-COMMIT's p99 < 30 ms"))
        .isEqualTo(Verdict.notApplicable("not measured"));
    assertThat(status(sample, "p99 at 70% load, on disk <= 1.5 x K-COMMIT's p99"))
        .isEqualTo(Status.PASS);
  }

  @Test
  void overloadMustKeepTheMaximumAndItsLatency() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.overloadTally = new Tally(470 * 4, 530 * 4, 0, 0);
    sample.overloadMillis = 201;

    assertThat(verdict(sample, "2x overload: accepted >= 0.95 x the maximum"))
        .isEqualTo(new Verdict(Status.FAIL, "0.94"));
    assertThat(status(sample, "2x overload: accepted p99 <= 2 x their p99 at saturation"))
        .isEqualTo(Status.FAIL);
  }

  @Test
  void shedsOnlyWithRetryAfterWhether503Or429() {
    String target = "2x overload: sheds only with 503/429 + Retry-After";
    SampleMeasurements clean = new SampleMeasurements();
    clean.overloadTally = Tally.of(counts(1_900, 2_100, 0, 0));
    assertThat(verdict(clean, target)).isEqualTo(new Verdict(Status.PASS, "0 others"));

    SampleMeasurements noRetryAfter = new SampleMeasurements();
    noRetryAfter.overloadTally = new Tally(1_900, 2_099, 1, 0);
    assertThat(verdict(noRetryAfter, target)).isEqualTo(new Verdict(Status.FAIL, "1 others"));

    SampleMeasurements broken = new SampleMeasurements();
    broken.overloadTally = new Tally(1_900, 2_098, 0, 2);
    assertThat(verdict(broken, target)).isEqualTo(new Verdict(Status.FAIL, "2 others"));
  }

  @Test
  void theHeapMustStayWithinItsLimitWithoutRunningOut() {
    String target = "2x overload: heap within -Xmx256m, no OutOfMemoryError";
    SampleMeasurements over = new SampleMeasurements();
    over.peakHeapMib = 300;
    assertThat(verdict(over, target)).isEqualTo(new Verdict(Status.FAIL, "300 MiB"));

    SampleMeasurements died = new SampleMeasurements();
    died.outOfMemory = true;
    assertThat(verdict(died, target))
        .isEqualTo(new Verdict(Status.FAIL, "200 MiB, OutOfMemoryError"));
  }

  @Test
  void theHeapTargetFollowsTheChosenHeap() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.plan =
        new Plan(
            Mode.QUICK,
            1,
            4,
            300_000,
            100_000,
            8,
            Heap.parse("512m"),
            true,
            Plan.DEFAULT_MEMORY_DIRECTORY);
    sample.peakHeapMib = 300;

    assertThat(status(sample, "2x overload: heap within -Xmx512m, no OutOfMemoryError"))
        .isEqualTo(Status.PASS);
  }

  @Test
  void aYearOfStoredRowsMustKeepNineTenthsOfTheEmptyTablesRate() {
    String target = "E2E at 120000 rows in 12 monthly partitions >= 0.9 x the empty table";
    SampleMeasurements slower = new SampleMeasurements();
    slower.scaleRequests = 445;
    assertThat(verdict(slower, target)).isEqualTo(new Verdict(Status.FAIL, "0.89"));

    SampleMeasurements enough = new SampleMeasurements();
    enough.scaleRequests = 450;
    assertThat(verdict(enough, target)).isEqualTo(new Verdict(Status.PASS, "0.90"));
  }

  @Test
  void theScaleTargetNamesTheRowsPlanned() {
    SampleMeasurements sample = new SampleMeasurements();
    sample.plan = Plan.of(Mode.FULL);

    assertThat(
            status(
                sample, "E2E at 20000000 rows in 12 monthly partitions >= 0.9 x the empty table"))
        .isEqualTo(Status.PASS);
    assertThat(status(sample, "Retention: dropping a month of 5000000 rows locks the table < 1 s"))
        .isEqualTo(Status.PASS);
  }

  @Test
  void droppingAMonthMayLockTheTableForLessThanASecondWhateverTheCommandTakes() {
    String target = "Retention: dropping a month of 100000 rows locks the table < 1 s";
    SampleMeasurements quick = new SampleMeasurements();
    quick.lockEpisodesMillis = List.of(120.0, 80.0);
    quick.purgeSeconds = 4.2;
    assertThat(verdict(quick, target))
        .isEqualTo(new Verdict(Status.PASS, "200 ms locked; purge command 4.2 s"));

    SampleMeasurements slow = new SampleMeasurements();
    slow.lockEpisodesMillis = List.of(1_000.0);
    assertThat(verdict(slow, target))
        .isEqualTo(new Verdict(Status.FAIL, "1000 ms locked; purge command 2.5 s"));
  }

  @Test
  void aLockTheSamplesMissedLastedLessThanTheLongestGapBetweenThem() {
    String target = "Retention: dropping a month of 100000 rows locks the table < 1 s";
    SampleMeasurements missed = new SampleMeasurements();
    missed.lockEpisodesMillis = List.of();
    missed.lockSamplingMillis = 12;
    assertThat(verdict(missed, target))
        .isEqualTo(
            new Verdict(Status.PASS, "under 12 ms, between two samples; purge command 2.5 s"));

    SampleMeasurements coarse = new SampleMeasurements();
    coarse.lockEpisodesMillis = List.of();
    coarse.lockSamplingMillis = 1_500;
    assertThat(status(coarse, target)).isEqualTo(Status.FAIL);
  }

  @Test
  void aDropThatDroppedNothingOrNeverEndedMeetsNoTarget() {
    String target = "Retention: dropping a month of 100000 rows locks the table < 1 s";
    SampleMeasurements nothing = new SampleMeasurements();
    nothing.partitionDropped = false;
    assertThat(verdict(nothing, target))
        .isEqualTo(new Verdict(Status.FAIL, "no partition dropped; purge command 2.5 s"));

    SampleMeasurements stuck = new SampleMeasurements();
    stuck.stillLocked = true;
    assertThat(status(stuck, target)).isEqualTo(Status.FAIL);

    SampleMeasurements failed = new SampleMeasurements();
    failed.partitionDropped = false;
    failed.purgeFailure = "Cannot purge: lock timeout";
    assertThat(verdict(failed, target))
        .isEqualTo(new Verdict(Status.FAIL, "the purge command failed; purge command 2.5 s"));
  }

  @Test
  void ingestionMayNotStallWhileAMonthIsDropped() {
    String target = "Retention: p99 during the drop <= 2 x p99 before";
    SampleMeasurements stalled = new SampleMeasurements();
    stalled.millisBeforeDrop = 30;
    stalled.millisDuringDrop = 61;
    assertThat(verdict(stalled, target)).isEqualTo(new Verdict(Status.FAIL, "2.03"));

    SampleMeasurements calm = new SampleMeasurements();
    calm.millisDuringDrop = 50;
    assertThat(status(calm, target)).isEqualTo(Status.PASS);
  }

  private static long[] counts(long accepted, long shed, long withoutRetryAfter, long other) {
    long[] counts = new long[Outcome.values().length];
    counts[Outcome.ACCEPTED.ordinal()] = accepted;
    counts[Outcome.SHED.ordinal()] = shed;
    counts[Outcome.SHED_WITHOUT_RETRY_AFTER.ordinal()] = withoutRetryAfter;
    counts[Outcome.OTHER.ordinal()] = other;
    return counts;
  }
}
