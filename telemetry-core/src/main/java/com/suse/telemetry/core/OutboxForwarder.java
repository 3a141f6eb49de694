package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.SinkRefusedException;
import com.suse.telemetry.core.spi.SinkUnavailableException;
import com.suse.telemetry.core.spi.TelemetrySink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox into one secondary sink, on a thread of its own: it claims a leased batch,
 * hands it to the sink with nothing of the store held, and settles it. Several forwarders, in one
 * collector or many, may drain the same outbox: each batch goes to one of them, and a batch whose
 * forwarder died is taken over once its lease runs out.
 *
 * <p>What the sink says decides what happens to each record. While the sink is unavailable (or the
 * store is), the forwarder waits with exponential back-off and jitter, parking nothing, and
 * ingestion goes on untouched. A write the sink refuses or fails is split in halves until the
 * records that fail on their own are found; the rest are delivered. A record the sink refuses for
 * good, or cannot hold, is parked at once with the reason; one that keeps failing on its own is
 * tried again with later batches, apart from them, and parked once it has failed {@code
 * maxAttempts} times or for {@code parkAfter}, as long as other records get through meanwhile (when
 * nothing gets through, the sink is failing, not the record). Closing it lets the batch in flight
 * finish.
 *
 * <p>Thread-safe.
 */
public final class OutboxForwarder implements AutoCloseable {

  /** How a sink fares, as readiness reports it. */
  public enum Status {
    /** Records reach the sink in time, and none is parked. */
    UP,
    /**
     * The sink takes records, but some fail on their own, some are parked, or the oldest record
     * waiting has waited longer than {@code degradedAfter}.
     */
    DEGRADED,
    /** The last attempt failed: the sink (or the store) is down, or took nothing it was given. */
    DOWN
  }

  private static final Logger LOG = LoggerFactory.getLogger(OutboxForwarder.class);
  private static final long LAG_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
  private static final int MAX_REASON_LENGTH = 2000;

  private final Outbox outbox;
  private final TelemetrySink sink;
  private final String name;
  private final int batchSize;
  private final Duration lease;
  private final int maxAttempts;
  private final Duration parkAfter;
  private final Duration degradedAfter;
  private final Duration idleDelay;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong parked = new AtomicLong();
  private volatile boolean running;
  private volatile int consecutiveFailures;
  private volatile int failingAlone;
  private volatile Outbox.Lag lag;
  private long lagMeasured;
  private Thread thread;

  private OutboxForwarder(Builder builder) {
    this.outbox = builder.outbox;
    this.sink = builder.sink;
    this.name = sink.name();
    this.batchSize = builder.batchSize;
    this.lease = builder.lease;
    this.maxAttempts = builder.maxAttempts;
    this.parkAfter = builder.parkAfter;
    this.degradedAfter = builder.degradedAfter;
    this.idleDelay = builder.idleDelay;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
    this.clock = builder.clock;
  }

  /** Starts a forwarder from {@code outbox} to {@code sink}. */
  public static Builder builder(Outbox outbox, TelemetrySink sink) {
    return new Builder(requireNonNull(outbox, "outbox"), requireNonNull(sink, "sink"));
  }

  /** Starts draining on a daemon thread. Calling it again does nothing. */
  public void start() {
    lock.lock();
    try {
      if (thread != null) {
        return;
      }
      running = true;
      thread = new Thread(this::run, "outbox-forwarder-" + name);
      thread.setDaemon(true);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forwards one batch now, on the calling thread: claims it, delivers it, settles it.
   *
   * @return how many records were claimed; 0 when none waited
   * @throws RuntimeException when the store failed, the sink was unavailable, or the sink took none
   *     of the records it was given; what was not delivered is handed out again later
   */
  public int forwardOnce() {
    Outbox.Claim claim = outbox.claim(name, batchSize, lease);
    if (claim.isEmpty()) {
      failingAlone = 0;
      return 0;
    }
    Batch batch = new Batch(claim.entries());
    batch.deliver();
    Outbox.Settlement settlement = batch.settle(clock.instant());
    outbox.settle(claim, settlement);
    delivered.addAndGet(settlement.delivered().size());
    parked.addAndGet(settlement.parked().size());
    failingAlone = batch.failedAlone.size();
    for (Outbox.Parking parking : settlement.parked()) {
      LOG.warn(
          "Parked outbox entry {} for {} after {} attempt(s): {}",
          parking.id(),
          name,
          parking.attempts(),
          PrintableText.of(parking.reason(), 500));
    }
    if (batch.unavailable != null) {
      throw batch.unavailable;
    }
    if (batch.tookNothing()) {
      throw new TelemetryException(
          name + " took none of the " + claim.entries().size() + " record(s) it was given");
    }
    return claim.entries().size();
  }

  /** The records of one claim on their way to the sink, and what became of each. */
  private final class Batch {

    private record FailedAlone(Outbox.Entry entry, String reason) {}

    private final List<Outbox.Entry> entries;
    private final Outbox.Settlement.Builder settlement = Outbox.Settlement.builder();
    private final List<FailedAlone> failedAlone = new ArrayList<>();
    // Failed writes in a row before a write gets through: a sink failing every write is not split
    // into hundreds of them, only far enough to reach one record.
    private final int splitBudget;
    private int failedInARow;
    private int deliveredCount;
    private int settledCount;
    private RuntimeException unavailable;

    Batch(List<Outbox.Entry> entries) {
      this.entries = entries;
      this.splitBudget = 34 - Integer.numberOfLeadingZeros(entries.size());
    }

    void deliver() {
      // Records that failed on their own before go apart, so that the rest are not split for them.
      write(entries.stream().filter(entry -> entry.attempts() == 0).toList());
      write(entries.stream().filter(entry -> entry.attempts() > 0).toList());
    }

    private void write(List<Outbox.Entry> part) {
      if (part.isEmpty() || unavailable != null || failedInARow >= splitBudget) {
        return;
      }
      List<TelemetrySink.Rejection> rejections;
      try {
        rejections = sink.write(part.stream().map(Outbox.Entry::record).toList());
      } catch (SinkUnavailableException e) {
        unavailable = e;
        return;
      } catch (RuntimeException e) {
        failedInARow++;
        split(part, e);
        return;
      }
      failedInARow = 0;
      Map<TelemetryRecord, String> refused = new IdentityHashMap<>();
      rejections.forEach(rejection -> refused.put(rejection.record(), rejection.reason()));
      for (Outbox.Entry entry : part) {
        String reason = refused.get(entry.record());
        if (reason == null) {
          settlement.delivered(entry.id());
          deliveredCount++;
          settledCount++;
        } else {
          park(entry, reason, entry.attempts() + 1);
        }
      }
    }

    private void split(List<Outbox.Entry> part, RuntimeException failure) {
      if (part.size() > 1) {
        int half = part.size() / 2;
        write(part.subList(0, half));
        write(part.subList(half, part.size()));
      } else if (failure instanceof SinkRefusedException) {
        park(part.get(0), reason(failure), part.get(0).attempts() + 1);
      } else {
        failedAlone.add(new FailedAlone(part.get(0), reason(failure)));
      }
    }

    private void park(Outbox.Entry entry, String reason, int attempts) {
      settlement.park(entry.id(), reason, attempts);
      settledCount++;
    }

    /** Counts the attempts of the records that failed on their own, parking those past a limit. */
    Outbox.Settlement settle(Instant now) {
      // Only when others got through is a failure the record's own rather than the sink's.
      boolean othersGotThrough = deliveredCount > 0 && unavailable == null;
      for (FailedAlone failed : failedAlone) {
        if (!othersGotThrough) {
          continue; // released as it was
        }
        Outbox.Entry entry = failed.entry();
        int attempts = entry.attempts() + 1;
        Instant since = entry.failingSince() == null ? now : entry.failingSince();
        if (attempts >= maxAttempts || !now.isBefore(since.plus(parkAfter))) {
          park(entry, failed.reason(), attempts);
        } else {
          settlement.fail(entry.id(), failed.reason(), since);
        }
      }
      return settlement.build();
    }

    /** Whether the sink took no record of the batch: it is failing, or cannot be told from it. */
    boolean tookNothing() {
      return settledCount == 0 && unavailable == null;
    }
  }

  private static String reason(RuntimeException failure) {
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    return message.length() <= MAX_REASON_LENGTH
        ? message
        : message.substring(0, MAX_REASON_LENGTH) + "...";
  }

  private void run() {
    while (running) {
      Duration pause;
      try {
        int claimed = forwardOnce();
        if (consecutiveFailures > 0) {
          LOG.info(
              "Forwarding to {} resumed after {} failed attempt(s)", name, consecutiveFailures);
        }
        consecutiveFailures = 0;
        pause = claimed < batchSize ? idleDelay : Duration.ZERO;
      } catch (RuntimeException e) {
        int failed = ++consecutiveFailures;
        failures.incrementAndGet();
        pause = backoff(failed);
        // Say it once, then now and then: an outage can last long.
        if (failed == 1 || failed % 20 == 0) {
          LOG.warn(
              "Forwarding to {} failed ({} time(s) in a row), trying again in {} ms: {}",
              name,
              failed,
              pause.toMillis(),
              PrintableText.of(e.toString(), 500));
        }
      }
      measureLag();
      pause(pause);
    }
  }

  /** Refreshes the lag that {@link #lastLag()} reports, at most once a second. */
  private void measureLag() {
    long now = System.nanoTime();
    if (lag != null && now - lagMeasured < LAG_INTERVAL_NANOS) {
      return;
    }
    lagMeasured = now;
    try {
      lag = outbox.lag(name);
    } catch (RuntimeException e) {
      // The store is down: the last lag known stays, and forwarding says it is failing.
    }
  }

  /** Exponential back-off, capped, with jitter: uniformly between half and all of it. */
  private Duration backoff(int consecutiveFailures) {
    long ceiling = maxBackoff.toMillis();
    long exponential = initialBackoff.toMillis() << Math.min(consecutiveFailures - 1, 30);
    long wait = Math.min(ceiling, exponential <= 0 ? ceiling : exponential);
    return Duration.ofMillis(wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
  }

  private void pause(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    lock.lock();
    try {
      long nanos = duration.toNanos();
      while (running && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /** How far the sink lags behind the store; asks the outbox. */
  public Outbox.Lag lag() {
    return outbox.lag(name);
  }

  /**
   * The lag last measured by the forwarding thread (at most a second or so old), without asking the
   * outbox; null until first measured.
   */
  public Outbox.Lag lastLag() {
    return lag;
  }

  /** Records the sink took since start. */
  public long delivered() {
    return delivered.get();
  }

  /** Records this forwarder parked since start. */
  public long parked() {
    return parked.get();
  }

  /**
   * Attempts to forward a batch that failed since start: the sink or the store was unavailable, or
   * the sink took none of the records.
   */
  public long failures() {
    return failures.get();
  }

  /** Whether the last attempt to forward failed (the sink or the store is down). */
  public boolean isFailing() {
    return consecutiveFailures > 0;
  }

  /** How the sink fares, from the last attempt and the lag last measured; never asks anything. */
  public Status status() {
    if (consecutiveFailures > 0) {
      return Status.DOWN;
    }
    Outbox.Lag last = lag;
    boolean degraded =
        failingAlone > 0
            || (last != null
                && (last.parked() > 0 || last.oldestAge().compareTo(degradedAfter) > 0));
    return degraded ? Status.DEGRADED : Status.UP;
  }

  /**
   * Stops draining: a batch in flight is finished (delivered and settled, or left in the outbox),
   * then the thread ends. Waits for it at most {@code timeout}.
   *
   * @return whether the thread ended in time
   */
  public boolean stop(Duration timeout) {
    Thread running;
    lock.lock();
    try {
      this.running = false;
      wake.signalAll();
      running = thread;
    } finally {
      lock.unlock();
    }
    if (running == null) {
      return true;
    }
    try {
      running.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !running.isAlive();
  }

  /** Stops, waiting up to 30 seconds for the batch in flight. */
  @Override
  public void close() {
    if (!stop(Duration.ofSeconds(30))) {
      LOG.warn("Forwarding to {} did not finish its batch within 30 s", name);
    }
  }

  /** Configures an {@link OutboxForwarder}. */
  public static final class Builder {

    private final Outbox outbox;
    private final TelemetrySink sink;
    private int batchSize;
    private Duration lease;
    private int maxAttempts;
    private Duration parkAfter;
    private Duration degradedAfter;
    private Duration idleDelay = Duration.ofMillis(500);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Clock clock = Clock.systemUTC();

    private Builder(Outbox outbox, TelemetrySink sink) {
      this.outbox = outbox;
      this.sink = sink;
      settings(ForwardingSettings.defaults());
    }

    /** Batch size, lease, attempts and time limits from {@code settings}; defaults otherwise. */
    public Builder settings(ForwardingSettings settings) {
      requireNonNull(settings, "settings");
      this.batchSize = settings.batchSize();
      this.lease = settings.lease();
      this.maxAttempts = settings.maxAttempts();
      this.parkAfter = settings.parkAfter();
      this.degradedAfter = settings.degradedAfter();
      return this;
    }

    /** Most records per batch; default 5000. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be 1 or more");
      }
      this.batchSize = batchSize;
      return this;
    }

    /** How long a claimed batch stays leased; default 2 minutes. */
    public Builder lease(Duration lease) {
      this.lease = requirePositive(lease, "lease");
      return this;
    }

    /** How many times a record may fail on its own before it is parked; default 10. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be 1 or more");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** How long a record may keep failing on its own before it is parked; default 1 hour. */
    public Builder parkAfter(Duration parkAfter) {
      this.parkAfter = requirePositive(parkAfter, "parkAfter");
      return this;
    }

    /** How old the oldest waiting record may be before the sink is degraded; default 5 min. */
    public Builder degradedAfter(Duration degradedAfter) {
      this.degradedAfter = requirePositive(degradedAfter, "degradedAfter");
      return this;
    }

    /** How long to wait when the outbox is drained before looking again; default 500 ms. */
    public Builder idleDelay(Duration idleDelay) {
      this.idleDelay = requirePositive(idleDelay, "idleDelay");
      return this;
    }

    /** First wait after a failure, doubled at each further one; default 1 s. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = requirePositive(initialBackoff, "initialBackoff");
      return this;
    }

    /** Longest wait between attempts; default 60 s. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = requirePositive(maxBackoff, "maxBackoff");
      return this;
    }

    /** The clock that times how long records keep failing; the system's by default. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The forwarder; call {@link OutboxForwarder#start()} to run it. */
    public OutboxForwarder build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
      }
      return new OutboxForwarder(this);
    }

    private static Duration requirePositive(Duration duration, String name) {
      requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero() || duration.toMillis() < 1) {
        throw new IllegalArgumentException(name + " must be at least 1 ms");
      }
      return duration;
    }
  }

  @Override
  public String toString() {
    return "OutboxForwarder[" + name + ", batchSize=" + batchSize + "]";
  }
}
