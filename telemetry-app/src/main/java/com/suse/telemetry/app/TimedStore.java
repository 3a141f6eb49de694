package com.suse.telemetry.app;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.TelemetryStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/**
 * The primary store, with each transaction's size and commit time measured: what group commit
 * achieves, and how long PostgreSQL takes to make it durable. Thread-safe.
 */
final class TimedStore implements TelemetryStore {

  private final TelemetryStore store;
  private final Timer commits;
  private final Timer failures;
  private final DistributionSummary records;
  private final DistributionSummary submissions;

  TimedStore(TelemetryStore store, MeterRegistry meters) {
    this.store = store;
    this.commits =
        Timer.builder("telemetry.store.commit")
            .description("Time to store one transaction of submissions, until durable")
            .tag("outcome", "committed")
            .publishPercentileHistogram()
            .register(meters);
    this.failures =
        Timer.builder("telemetry.store.commit")
            .description("Time to store one transaction of submissions, until durable")
            .tag("outcome", "failed")
            .publishPercentileHistogram()
            .register(meters);
    this.records =
        DistributionSummary.builder("telemetry.store.transaction.records")
            .description("Records stored in one transaction (group commit gathers them)")
            .serviceLevelObjectives(1, 10, 100, 1000, 10_000)
            .register(meters);
    this.submissions =
        DistributionSummary.builder("telemetry.store.transaction.submissions")
            .description("Submissions stored in one transaction (group commit gathers them)")
            .serviceLevelObjectives(1, 2, 10, 100)
            .register(meters);
  }

  @Override
  public StoreResult store(Submission submission) {
    return storeAll(List.of(submission)).get(0);
  }

  @Override
  public List<StoreResult> storeAll(List<Submission> batch) {
    long start = System.nanoTime();
    try {
      List<StoreResult> results = store.storeAll(batch);
      commits.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      submissions.record(batch.size());
      records.record(batch.stream().mapToInt(s -> s.records().size()).sum());
      return results;
    } catch (RuntimeException e) {
      failures.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      throw e;
    }
  }

  @Override
  public boolean isAvailable() {
    return store.isAvailable();
  }
}
