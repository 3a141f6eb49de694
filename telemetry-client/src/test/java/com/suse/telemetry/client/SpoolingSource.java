package com.suse.telemetry.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A source process for {@link PublisherSpoolTest}: publishes envelopes with a spool, says so once
 * each is spooled, then waits to be killed. Arguments: the collector's URL, the spool directory,
 * how many envelopes.
 */
public final class SpoolingSource {

  private SpoolingSource() {}

  /** Runs the source until it is killed. */
  public static void main(String[] args) throws InterruptedException {
    TelemetryPublisher publisher =
        TelemetryPublisher.builder(URI.create(args[0]))
            .spoolDirectory(Path.of(args[1]))
            .retryPolicy(RetryPolicy.defaults().withTimeBudget(Duration.ofHours(1)))
            .build();
    int count = Integer.parseInt(args[2]);
    for (int i = 0; i < count; i++) {
      // Spooled, and forced to disk, once publishAsync returns.
      publisher.publishAsync("sles", "system_profile", 1, Payloads.profile());
    }
    System.out.println("spooled " + count);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
