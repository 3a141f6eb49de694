package com.suse.telemetry.testkit;

import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.TelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Drains an outbox as a forwarder would, in tests of stores: claim, deliver, settle. */
public final class TestOutbox {

  /** The lease of the claims made here: long enough for any test's delivery. */
  public static final Duration LEASE = Duration.ofMinutes(1);

  private TestOutbox() {}

  /**
   * Claims at most {@code limit} entries for {@code sink} and hands their records to {@code
   * delivery}; the records it returns are parked with their reasons, the rest are removed. When
   * {@code delivery} throws, the entries are released and the exception is thrown on.
   *
   * @return how many records were claimed; 0 when none waited
   */
  public static int deliver(
      Outbox outbox,
      String sink,
      int limit,
      Function<List<TelemetryRecord>, List<TelemetrySink.Rejection>> delivery) {
    Outbox.Claim claim = outbox.claim(sink, limit, LEASE);
    if (claim.isEmpty()) {
      return 0;
    }
    List<TelemetrySink.Rejection> rejections;
    try {
      rejections = delivery.apply(claim.entries().stream().map(Outbox.Entry::record).toList());
    } catch (RuntimeException e) {
      outbox.settle(claim, Outbox.Settlement.builder().build());
      throw e;
    }
    Map<TelemetryRecord, String> refused = new IdentityHashMap<>();
    rejections.forEach(rejection -> refused.put(rejection.record(), rejection.reason()));
    Outbox.Settlement.Builder settlement = Outbox.Settlement.builder();
    for (Outbox.Entry entry : claim.entries()) {
      String reason = refused.get(entry.record());
      if (reason == null) {
        settlement.delivered(entry.id());
      } else {
        settlement.park(entry.id(), reason, entry.attempts() + 1);
      }
    }
    outbox.settle(claim, settlement.build());
    return claim.entries().size();
  }

  /** Delivers everything waiting for {@code sink}, in batches of 100; returns the records. */
  public static List<TelemetryRecord> drain(Outbox outbox, String sink) {
    List<TelemetryRecord> delivered = new ArrayList<>();
    while (deliver(
            outbox,
            sink,
            100,
            records -> {
              delivered.addAll(records);
              return List.of();
            })
        > 0) {
      Thread.onSpinWait();
    }
    return delivered;
  }
}
