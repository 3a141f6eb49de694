package com.suse.telemetry.core.spi;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.TelemetryRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The durable queue of stored records not yet delivered to each secondary sink, written by the
 * primary store in the same transaction as the records, for every sink the deployment has enabled.
 *
 * <p>A forwarder {@link #claim claims} a batch under a lease, delivers it with nothing of the store
 * held (no transaction, lock or connection), then {@link #settle settles} it: delivered entries are
 * removed, entries that cannot be delivered are parked aside with their reason, failed ones are
 * counted, and the rest are released. A lease that runs out (its forwarder crashed) lets another
 * forwarder claim the batch. Safe to drain from several threads and several collector replicas at
 * once: a leased entry is handed to nobody else until its lease ends.
 */
public interface Outbox {

  /**
   * Leases the oldest entries waiting for {@code sink}, at most {@code limit}, that are not leased
   * to anybody (or whose lease has run out), for {@code leaseTime}.
   *
   * @return the claimed entries, oldest first; none when nothing waits
   * @throws StoreUnavailableException if the outbox cannot be reached
   */
  Claim claim(String sink, int limit, Duration leaseTime);

  /**
   * Settles a claimed batch, all at once: {@linkplain Settlement#delivered() delivered} entries are
   * removed (even if the lease ran out meanwhile: they were delivered); {@linkplain
   * Settlement#parked() parked} ones are removed and kept aside with their reason and attempts;
   * {@linkplain Settlement#failed() failed} ones count one more attempt and keep the reason and
   * when they started failing; every other entry of the claim is released, to be claimed again at
   * once.
   *
   * @throws StoreUnavailableException if the outbox cannot be reached; the entries stay leased
   *     until the lease runs out, then they are claimed again
   */
  void settle(Claim claim, Settlement settlement);

  /**
   * How far {@code sink} lags behind the primary store.
   *
   * @throws StoreUnavailableException if the outbox cannot be reached
   */
  Lag lag(String sink);

  /**
   * One record waiting for a sink.
   *
   * @param id the entry's id within its sink's queue
   * @param record the stored record
   * @param attempts how many times the record failed on its own before; 0 when it never did
   * @param failingSince when it first failed on its own; null when it never did
   */
  record Entry(long id, TelemetryRecord record, int attempts, Instant failingSince) {

    /** Checks that a record failing has a start, and one that never failed has none. */
    public Entry {
      requireNonNull(record, "record");
      if (attempts < 0 || (attempts == 0) != (failingSince == null)) {
        throw new IllegalArgumentException(
            "attempts " + attempts + " and failingSince " + failingSince + " do not agree");
      }
    }
  }

  /**
   * Entries leased to one forwarder.
   *
   * @param sink the sink they wait for
   * @param lease the lease's id, unique to this claim
   * @param entries the entries, oldest first
   */
  record Claim(String sink, UUID lease, List<Entry> entries) {

    /** Checks the parts and takes an immutable copy of the entries. */
    public Claim {
      requireNonNull(sink, "sink");
      requireNonNull(lease, "lease");
      entries = List.copyOf(entries);
    }

    /** Whether nothing was claimed. */
    public boolean isEmpty() {
      return entries.isEmpty();
    }
  }

  /**
   * What became of a claimed batch; an entry named nowhere is released.
   *
   * @param delivered ids of the entries the sink took
   * @param parked entries set aside for people to look at
   * @param failed entries that failed on their own once more
   */
  record Settlement(Set<Long> delivered, List<Parking> parked, List<Failure> failed) {

    /** Takes immutable copies. */
    public Settlement {
      delivered = Set.copyOf(delivered);
      parked = List.copyOf(parked);
      failed = List.copyOf(failed);
    }

    /** Starts an empty settlement: everything released. */
    public static Builder builder() {
      return new Builder();
    }

    /** Builds a {@link Settlement}. Not thread-safe. */
    public static final class Builder {
      private final Set<Long> delivered = new LinkedHashSet<>();
      private final List<Parking> parked = new ArrayList<>();
      private final List<Failure> failed = new ArrayList<>();

      private Builder() {}

      /** The sink took entry {@code id}. */
      public Builder delivered(long id) {
        delivered.add(id);
        return this;
      }

      /** Entry {@code id} is parked, after {@code attempts}, for {@code reason}. */
      public Builder park(long id, String reason, int attempts) {
        parked.add(new Parking(id, reason, attempts));
        return this;
      }

      /**
       * Entry {@code id} failed on its own for {@code reason}, as it has since {@code
       * failingSince}; it will be tried again.
       */
      public Builder fail(long id, String reason, Instant failingSince) {
        failed.add(new Failure(id, reason, failingSince));
        return this;
      }

      /** The settlement. */
      public Settlement build() {
        return new Settlement(delivered, parked, failed);
      }
    }
  }

  /**
   * An entry set aside: it will not be tried again until somebody asks for it.
   *
   * @param id the entry
   * @param reason why the sink could not take it
   * @param attempts how many times it was tried
   */
  record Parking(long id, String reason, int attempts) {

    /** Checks the parts. */
    public Parking {
      requireNonNull(reason, "reason");
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be 1 or more, was " + attempts);
      }
    }
  }

  /**
   * An entry that failed on its own once more.
   *
   * @param id the entry
   * @param reason why the sink did not take it
   * @param failingSince when it first failed on its own, by the forwarder's clock
   */
  record Failure(long id, String reason, Instant failingSince) {

    /** Checks the parts. */
    public Failure {
      requireNonNull(reason, "reason");
      requireNonNull(failingSince, "failingSince");
    }
  }

  /**
   * How far a sink lags behind.
   *
   * @param pending records waiting for the sink
   * @param oldestAge how long the oldest of them has waited; zero when none waits
   * @param parked records set aside for the sink, waiting for people
   */
  record Lag(long pending, Duration oldestAge, long parked) {}
}
