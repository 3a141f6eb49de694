package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.Submission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The primary store, the system of record: once {@link #store} returns, the submission's records
 * are durable. Implementations are thread-safe.
 */
public interface TelemetryStore {

  /**
   * Stores the records of one submission atomically: all or none. A record whose identity the store
   * already holds for its application, telemetry type and record time is a duplicate: counted, not
   * stored again, not an error; so is every record of a submission whose envelope id the store has
   * already seen. Writes an outbox entry per stored record for every secondary sink enabled for the
   * deployment, in the same transaction.
   *
   * @throws StoreUnavailableException if the store cannot be reached or fails; nothing of the
   *     submission is stored then
   */
  StoreResult store(Submission submission);

  /**
   * Stores several submissions, each atomically, possibly together in one transaction. Returns one
   * result per submission, in order. Stores that can group commits override this.
   *
   * @throws StoreUnavailableException if the store cannot be reached or fails; then none of the
   *     submissions whose results were not returned may be assumed stored
   */
  default List<StoreResult> storeAll(List<Submission> submissions) {
    List<StoreResult> results = new ArrayList<>(submissions.size());
    for (Submission submission : submissions) {
      results.add(store(submission));
    }
    return results;
  }

  /**
   * Stores the records of one submission like {@link #store}, completing the future once they are
   * durable (or exceptionally, with {@link StoreUnavailableException} when they could not be
   * stored). Stores that commit on threads of their own override this, so that callers need not
   * hold a thread while waiting; this default stores on the calling thread.
   */
  default CompletableFuture<StoreResult> storeAsync(Submission submission) {
    try {
      return CompletableFuture.completedFuture(store(submission));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Whether the store can be reached right now; for readiness checks. Never throws. */
  boolean isAvailable();
}
