package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups the commits of submissions that arrive together. Callers queue their submission; a few
 * committer threads each take what is queued (until a transaction holds a given number of records),
 * store it in one transaction ({@link TelemetryStore#storeAll}), and complete each caller's future
 * with its own counts. While one transaction commits, the next batch forms, so one commit (one
 * fsync) serves many requests under load, and a lone submission commits at once. A future completes
 * only once the transaction holding its submission committed.
 *
 * <p>{@link #storeAsync} lets a caller go on without holding a thread; waiting in {@link #store} is
 * the same with a blocked thread. Thread-safe; close it to stop the committers.
 */
public final class GroupCommitStore implements TelemetryStore, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitStore.class);

  private final TelemetryStore delegate;
  private final int maxRecordsPerCommit;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final List<Thread> committers = new ArrayList<>();
  private volatile boolean open = true;

  private record Pending(Submission submission, CompletableFuture<StoreResult> result) {}

  private GroupCommitStore(TelemetryStore delegate, int committerThreads, int maxRecordsPerCommit) {
    this.delegate = delegate;
    this.maxRecordsPerCommit = maxRecordsPerCommit;
    for (int i = 0; i < committerThreads; i++) {
      Thread committer = new Thread(this::commitLoop, "group-commit-" + i);
      committer.setDaemon(true);
      committer.start();
      committers.add(committer);
    }
  }

  /**
   * Groups the commits into {@code delegate}.
   *
   * @param committerThreads transactions in flight at once
   * @param maxRecordsPerCommit records after which a transaction takes no more submissions
   */
  public static GroupCommitStore wrap(
      TelemetryStore delegate, int committerThreads, int maxRecordsPerCommit) {
    if (committerThreads < 1 || maxRecordsPerCommit < 1) {
      throw new IllegalArgumentException(
          "committerThreads and maxRecordsPerCommit must be 1 or" + " more");
    }
    return new GroupCommitStore(
        requireNonNull(delegate, "delegate"), committerThreads, maxRecordsPerCommit);
  }

  @Override
  public CompletableFuture<StoreResult> storeAsync(Submission submission) {
    requireNonNull(submission, "submission");
    CompletableFuture<StoreResult> result = new CompletableFuture<>();
    // Under the lock that close() takes, so that nothing is queued once the committers may stop.
    synchronized (this) {
      if (open) {
        queue.add(new Pending(submission, result));
        return result;
      }
    }
    result.completeExceptionally(closed());
    return result;
  }

  private static StoreUnavailableException closed() {
    return new StoreUnavailableException("the store is closed");
  }

  @Override
  public StoreResult store(Submission submission) {
    try {
      return storeAsync(submission).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  private void commitLoop() {
    while (open || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          commitOrFail(batchStartingWith(first));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Commits {@code batch}; whatever goes wrong, every caller gets an answer. */
  private void commitOrFail(List<Pending> batch) {
    try {
      commit(batch);
    } catch (Throwable e) {
      // Even an Error (e.g. OutOfMemoryError): a caller left waiting would wait forever.
      LOG.error("Group commit failed unexpectedly", e);
      batch.forEach(pending -> pending.result().completeExceptionally(e));
    }
  }

  private List<Pending> batchStartingWith(Pending first) {
    List<Pending> batch = new ArrayList<>();
    int records = 0;
    for (Pending next = first; next != null; next = queue.poll()) {
      batch.add(next);
      records += next.submission().records().size();
      if (records >= maxRecordsPerCommit) {
        break;
      }
    }
    return batch;
  }

  /** Stores {@code batch} in one transaction and answers each caller. */
  private void commit(List<Pending> batch) {
    try {
      List<StoreResult> results =
          delegate.storeAll(batch.stream().map(Pending::submission).toList());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results.get(i));
      }
    } catch (StoreUnavailableException e) {
      batch.forEach(pending -> pending.result().completeExceptionally(e));
    } catch (RuntimeException e) {
      // Not an outage: perhaps one submission the store cannot take. Store them one by one, so
      // that one cannot fail the others.
      for (Pending pending : batch) {
        try {
          pending.result().complete(delegate.store(pending.submission()));
        } catch (RuntimeException alone) {
          pending.result().completeExceptionally(alone);
        }
      }
    }
  }

  @Override
  public List<StoreResult> storeAll(List<Submission> submissions) {
    return delegate.storeAll(submissions);
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }

  /**
   * Commits what is already queued, then stops the committer threads. What they could not commit
   * within 30 s fails as unavailable.
   */
  @Override
  public void close() {
    synchronized (this) {
      open = false;
    }
    try {
      for (Thread committer : committers) {
        committer.join(TimeUnit.SECONDS.toMillis(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Pending left = queue.poll(); left != null; left = queue.poll()) {
      left.result().completeExceptionally(closed());
    }
  }
}
