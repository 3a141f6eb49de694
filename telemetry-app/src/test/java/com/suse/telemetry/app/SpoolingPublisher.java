package com.suse.telemetry.app;

import com.suse.telemetry.client.PublishResult;
import com.suse.telemetry.client.RetryPolicy;
import com.suse.telemetry.client.TelemetryPublisher;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A source process for {@link PublisherAgainstCollectorIT}: publishes the test envelopes of a range
 * of seeds with a spool, says so once each is spooled, then waits until the spool is empty and says
 * so. Arguments: the collector's URL, the spool directory, the first seed, how many envelopes.
 */
public final class SpoolingPublisher {

  private SpoolingPublisher() {}

  /** Publishes, and exits 0 once everything, this run's and an earlier one's, is delivered. */
  public static void main(String[] args) throws InterruptedException {
    long first = Long.parseLong(args[2]);
    int count = Integer.parseInt(args[3]);
    try (TelemetryPublisher publisher =
        TelemetryPublisher.builder(URI.create(args[0]))
            .spoolDirectory(Path.of(args[1]))
            .retryPolicy(
                new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofHours(1)))
            .build()) {
      List<CompletableFuture<PublishResult>> results = new ArrayList<>();
      for (long seed = first; seed < first + count; seed++) {
        // Spooled, and forced to disk, once this returns.
        results.add(publisher.publishEnvelopeAsync(StoredRecords.envelope(seed)));
      }
      System.out.println("spooled " + count);
      System.out.flush();
      for (CompletableFuture<PublishResult> result : results) {
        PublishResult outcome = result.join();
        if (!outcome.isAccepted()) {
          System.out.println("not accepted: " + outcome);
          System.exit(1);
        }
      }
      publisher.resendSpooled().join();
      while (publisher.spoolStatus().envelopes() > 0) {
        Thread.sleep(100);
      }
      System.out.println("delivered");
    }
  }
}
