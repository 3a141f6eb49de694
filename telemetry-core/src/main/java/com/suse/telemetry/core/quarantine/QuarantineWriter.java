package com.suse.telemetry.core.quarantine;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.spi.Quarantine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rejected submissions to the {@link Quarantine} in the background, so that keeping them
 * never delays or fails the answer to the client: {@link #offer} only queues, and never waits. One
 * thread takes what is queued in batches, writes each batch in one transaction (the quarantine
 * keeps within its size cap as it writes), and once a minute drops entries past the retention
 * period.
 *
 * <p>Bounded: at most {@value #MAX_QUEUED} submissions and the configured buffer of bytes wait at
 * once. A submission that finds the queue full, or whose batch cannot be written (PostgreSQL down),
 * is not kept: it is counted in {@link #missed()}, and its client got its 400 all the same.
 *
 * <p>The counters are for metrics; reading them is cheap. Thread-safe.
 */
public final class QuarantineWriter implements AutoCloseable {

  /** Most submissions waiting to be written at once. */
  public static final int MAX_QUEUED = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(QuarantineWriter.class);
  private static final int BATCH = 100;
  private static final Duration RETENTION_CHECK = Duration.ofMinutes(1);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final Quarantine quarantine;
  private final QuarantineSettings settings;
  private final Clock clock;
  private final BlockingQueue<RejectedSubmission> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread thread;
  private final LongAdder offered = new LongAdder();
  private final LongAdder kept = new LongAdder();
  private final LongAdder repeats = new LongAdder();
  private final LongAdder missed = new LongAdder();
  private final LongAdder droppedForSize = new LongAdder();
  private final LongAdder droppedForAge = new LongAdder();
  private volatile Quarantine.Usage usage = new Quarantine.Usage(0, 0);
  private volatile boolean closed;
  private boolean failing;
  private long missedSinceFailing;

  private QuarantineWriter(Quarantine quarantine, QuarantineSettings settings, Clock clock) {
    this.quarantine = quarantine;
    this.settings = settings;
    this.clock = clock;
    this.thread = new Thread(this::run, "quarantine-writer");
    thread.setDaemon(true);
  }

  /** Starts writing to {@code quarantine} as {@code settings} say. */
  public static QuarantineWriter start(Quarantine quarantine, QuarantineSettings settings) {
    return start(quarantine, settings, Clock.systemUTC());
  }

  /** Starts writing, with {@code clock} telling the time for the retention period. */
  public static QuarantineWriter start(
      Quarantine quarantine, QuarantineSettings settings, Clock clock) {
    QuarantineWriter writer =
        new QuarantineWriter(
            requireNonNull(quarantine, "quarantine"),
            requireNonNull(settings, "settings"),
            requireNonNull(clock, "clock"));
    writer.thread.start();
    return writer;
  }

  /**
   * Queues {@code rejected} to be kept; never waits.
   *
   * @return whether it was queued; when not (queue or buffer full, or closed), it is counted missed
   */
  public boolean offer(RejectedSubmission rejected) {
    requireNonNull(rejected, "rejected");
    offered.increment();
    long size = rejected.body().length;
    if (closed || queuedBytes.addAndGet(size) > settings.bufferBytes()) {
      queuedBytes.addAndGet(-size);
      missed.increment();
      return false;
    }
    if (!queue.offer(rejected)) {
      queuedBytes.addAndGet(-size);
      missed.increment();
      return false;
    }
    return true;
  }

  private void run() {
    Instant nextRetentionCheck = Instant.MIN;
    List<RejectedSubmission> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        RejectedSubmission first = queue.poll(1, TimeUnit.SECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          batch.forEach(r -> queuedBytes.addAndGet(-r.body().length));
          write(batch);
          batch.clear();
        }
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        // Never let one bad batch stop the writer.
        LOG.error("Writing to the quarantine failed", e);
        missed.add(batch.size());
        batch.clear();
      }
      Instant now = clock.instant();
      if (!now.isBefore(nextRetentionCheck)) {
        nextRetentionCheck = now.plus(RETENTION_CHECK);
        dropExpired(now);
      }
    }
    int left = queue.size();
    if (left > 0) {
      missed.add(left);
      queue.clear();
    }
  }

  private void write(List<RejectedSubmission> batch) {
    Map<String, QuarantinedSubmission> entries = new LinkedHashMap<>();
    for (RejectedSubmission rejected : batch) {
      QuarantinedSubmission entry = QuarantineEntries.of(rejected, settings.maxMalformedBytes());
      entries.merge(entry.fingerprint(), entry, QuarantineEntries::merged);
    }
    Quarantine.Kept written;
    try {
      written = quarantine.keep(List.copyOf(entries.values()), settings.maxBytes());
    } catch (RuntimeException e) {
      missed.add(batch.size());
      missedSinceFailing += batch.size();
      if (!failing) {
        failing = true;
        LOG.warn(
            "Cannot write to the quarantine ({}): rejected submissions are answered 400 as"
                + " always, but not kept until it is back",
            PrintableText.of(e.getMessage() == null ? e.toString() : e.getMessage()));
      }
      return;
    }
    if (failing) {
      failing = false;
      LOG.info(
          "Writing to the quarantine again; {} rejected submission(s) could not be kept meanwhile",
          missedSinceFailing);
      missedSinceFailing = 0;
    }
    kept.add(written.added());
    repeats.add(batch.size() - written.added());
    droppedForSize.add(written.droppedForSize());
    usage = written.usage();
  }

  private void dropExpired(Instant now) {
    try {
      long dropped = quarantine.dropReceivedBefore(now.minus(settings.retention()));
      droppedForAge.add(dropped);
      usage = quarantine.usage();
    } catch (RuntimeException e) {
      LOG.debug("Cannot drop expired quarantine entries now: {}", PrintableText.of(e.toString()));
    }
  }

  /** Submissions offered to the quarantine, kept or not. */
  public long offered() {
    return offered.sum();
  }

  /** Submissions kept as new entries. */
  public long kept() {
    return kept.sum();
  }

  /** Submissions whose body was kept already: counted on its entry, not kept again. */
  public long repeats() {
    return repeats.sum();
  }

  /**
   * Submissions not kept: the queue or its buffer was full, or the quarantine could not be written.
   */
  public long missed() {
    return missed.sum();
  }

  /** Entries dropped to stay within the size cap. */
  public long droppedForSize() {
    return droppedForSize.sum();
  }

  /** Entries dropped past the retention period. */
  public long droppedForAge() {
    return droppedForAge.sum();
  }

  /** Submissions queued and not yet written. */
  public int pending() {
    return queue.size();
  }

  /** Entries in the quarantine, as last seen by this writer. */
  public long entries() {
    return usage.entries();
  }

  /** Bytes in the quarantine (bodies and violations), as last seen by this writer. */
  public long bytes() {
    return usage.bytes();
  }

  /**
   * Stops taking submissions, writes what is queued (waiting up to 5 s), and stops; what is left is
   * counted missed.
   */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(CLOSE_WAIT.toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(CLOSE_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
