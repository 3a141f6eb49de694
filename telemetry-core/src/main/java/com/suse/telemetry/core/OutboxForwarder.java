package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.TelemetrySink;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox into one secondary sink, on a thread of its own: batch after batch, in outbox
 * order, removing records only once the sink has taken them. While the sink or the store is down,
 * it waits with exponential back-off and jitter, and ingestion goes on untouched. Several
 * forwarders, in one collector or many, may drain the same outbox: each batch goes to one of them.
 * Closing it lets the batch in flight finish.
 *
 * <p>Thread-safe.
 */
public final class OutboxForwarder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxForwarder.class);
  private static final long LAG_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

  private final Outbox outbox;
  private final TelemetrySink sink;
  private final int batchSize;
  private final Duration idleDelay;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running;
  private volatile int consecutiveFailures;
  private volatile Outbox.Lag lag;
  private long lagMeasured;
  private Thread thread;

  private OutboxForwarder(Builder builder) {
    this.outbox = builder.outbox;
    this.sink = builder.sink;
    this.batchSize = builder.batchSize;
    this.idleDelay = builder.idleDelay;
    this.initialBackoff = builder.initialBackoff;
    this.maxBackoff = builder.maxBackoff;
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
      thread = new Thread(this::run, "outbox-forwarder-" + sink.name());
      thread.setDaemon(true);
      thread.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forwards one batch now, on the calling thread.
   *
   * @return how many records the sink was handed; 0 when none waited
   * @throws RuntimeException when the store or the sink failed; the batch stays in the outbox
   */
  public int forwardOnce() {
    int handed = outbox.deliver(sink.name(), batchSize, sink::write);
    forwarded.addAndGet(handed);
    return handed;
  }

  private void run() {
    while (running) {
      Duration pause;
      try {
        int handed = forwardOnce();
        if (consecutiveFailures > 0) {
          LOG.info(
              "Forwarding to {} resumed after {} failed attempt(s)",
              sink.name(),
              consecutiveFailures);
        }
        consecutiveFailures = 0;
        pause = handed < batchSize ? idleDelay : Duration.ZERO;
      } catch (RuntimeException e) {
        int failed = ++consecutiveFailures;
        failures.incrementAndGet();
        pause = backoff(failed);
        // Say it once, then now and then: an outage can last long.
        if (failed == 1 || failed % 20 == 0) {
          LOG.warn(
              "Forwarding to {} failed ({} time(s) in a row), trying again in {} ms: {}",
              sink.name(),
              failed,
              pause.toMillis(),
              e.toString());
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
      lag = outbox.lag(sink.name());
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
    return outbox.lag(sink.name());
  }

  /** Records handed to the sink since start. */
  public long forwarded() {
    return forwarded.get();
  }

  /** Failed attempts since start. */
  public long failures() {
    return failures.get();
  }

  /** Whether the last attempt to forward failed (the sink or the store is down). */
  public boolean isFailing() {
    return consecutiveFailures > 0;
  }

  /**
   * The lag last measured by the forwarding thread (at most a second or so old), without asking the
   * outbox; null until first measured.
   */
  public Outbox.Lag lastLag() {
    return lag;
  }

  /** The sink this forwarder drains into. */
  public TelemetrySink sink() {
    return sink;
  }

  /**
   * Stops draining: a batch in flight is finished (delivered and removed, or left in the outbox),
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
      LOG.warn("Forwarding to {} did not finish its batch within 30 s", sink.name());
    }
  }

  /** Configures an {@link OutboxForwarder}. */
  public static final class Builder {

    private final Outbox outbox;
    private final TelemetrySink sink;
    private int batchSize = 5000;
    private Duration idleDelay = Duration.ofMillis(500);
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);

    private Builder(Outbox outbox, TelemetrySink sink) {
      this.outbox = outbox;
      this.sink = sink;
    }

    /** Most records per batch; default 5000. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be 1 or more");
      }
      this.batchSize = batchSize;
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
    return "OutboxForwarder[" + sink.name() + ", batchSize=" + batchSize + "]";
  }
}
