package com.suse.telemetry.core.memory;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A primary store and outbox held in memory, for tests and for embedding where durability does not
 * matter. It keeps the same contract as the real stores (it passes the same contract kit), and can
 * pretend to be unreachable with {@link #setAvailable}. Thread-safe.
 */
public final class InMemoryTelemetryStore implements TelemetryStore, Outbox {

  private record Key(String application, String telemetryType, Instant time, String identity) {
    static Key of(TelemetryRecord record) {
      return new Key(
          record.type().application(),
          record.type().telemetryType(),
          record.time(),
          record.identity());
    }
  }

  /** An outbox entry and its state. */
  private static final class Waiting {
    final long id;
    final TelemetryRecord record;
    final Instant queuedAt;
    int attempts;
    Instant failingSince;
    UUID lease;
    Instant leaseEnds;

    Waiting(long id, TelemetryRecord record, Instant queuedAt) {
      this.id = id;
      this.record = record;
      this.queuedAt = queuedAt;
    }

    Entry entry() {
      return new Entry(id, record, attempts, failingSince);
    }
  }

  /**
   * A record set aside for a sink.
   *
   * @param id its outbox entry's id
   * @param record the record
   * @param reason why the sink could not take it
   * @param attempts how many times it was tried
   */
  public record ParkedRecord(long id, TelemetryRecord record, String reason, int attempts) {}

  private final Map<Key, TelemetryRecord> records = new LinkedHashMap<>();
  private final Set<UUID> envelopeIds = new HashSet<>();
  private final Map<String, LinkedHashMap<Long, Waiting>> outbox = new HashMap<>();
  private final Map<String, List<ParkedRecord>> parked = new HashMap<>();
  private long nextSequence;
  private volatile boolean available = true;

  private InMemoryTelemetryStore(List<String> sinks) {
    sinks.forEach(sink -> outbox.put(requireNonNull(sink, "sink"), new LinkedHashMap<>()));
  }

  /** An empty store queuing every stored record for each of {@code sinks}. */
  public static InMemoryTelemetryStore create(String... sinks) {
    return new InMemoryTelemetryStore(List.of(sinks));
  }

  @Override
  public synchronized StoreResult store(Submission submission) {
    requireAvailable();
    if (submission.envelopeId().isPresent() && !envelopeIds.add(submission.envelopeId().get())) {
      return new StoreResult(0, submission.records().size());
    }
    int accepted = 0;
    Instant now = Instant.now();
    for (TelemetryRecord record : submission.records()) {
      if (records.putIfAbsent(Key.of(record), record) == null) {
        accepted++;
        for (LinkedHashMap<Long, Waiting> queue : outbox.values()) {
          long sequence = nextSequence++;
          queue.put(sequence, new Waiting(sequence, record, now));
        }
      }
    }
    return new StoreResult(accepted, submission.records().size() - accepted);
  }

  @Override
  public boolean isAvailable() {
    return available;
  }

  /**
   * Makes the store pretend to be unreachable ({@code false}) or reachable again: while
   * unreachable, every call but {@link #isAvailable} throws {@link StoreUnavailableException}.
   */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  /** Every stored record, in the order stored. */
  public synchronized List<TelemetryRecord> records() {
    return List.copyOf(records.values());
  }

  /** Every record parked for {@code sink}, in the order parked. */
  public synchronized List<ParkedRecord> parked(String sink) {
    queue(sink);
    return List.copyOf(parked.getOrDefault(sink, List.of()));
  }

  @Override
  public synchronized Claim claim(String sink, int limit, Duration leaseTime) {
    requireAvailable();
    Instant now = Instant.now();
    UUID lease = UUID.randomUUID();
    List<Entry> claimed = new ArrayList<>();
    for (Waiting waiting : queue(sink).values()) {
      if (claimed.size() >= limit) {
        break;
      }
      if (waiting.lease == null || !waiting.leaseEnds.isAfter(now)) {
        waiting.lease = lease;
        waiting.leaseEnds = now.plus(leaseTime);
        claimed.add(waiting.entry());
      }
    }
    return new Claim(sink, lease, claimed);
  }

  @Override
  public synchronized void settle(Claim claim, Settlement settlement) {
    requireAvailable();
    LinkedHashMap<Long, Waiting> queue = queue(claim.sink());
    settlement.delivered().forEach(queue::remove);
    for (Parking parking : settlement.parked()) {
      Waiting waiting = queue.remove(parking.id());
      if (waiting != null) {
        parked
            .computeIfAbsent(claim.sink(), sink -> new ArrayList<>())
            .add(
                new ParkedRecord(waiting.id, waiting.record, parking.reason(), parking.attempts()));
      }
    }
    for (Failure failure : settlement.failed()) {
      Waiting waiting = queue.get(failure.id());
      if (waiting != null && claim.lease().equals(waiting.lease)) {
        waiting.attempts++;
        waiting.failingSince = failure.failingSince();
      }
    }
    for (Entry entry : claim.entries()) {
      Waiting waiting = queue.get(entry.id());
      if (waiting != null && claim.lease().equals(waiting.lease)) {
        waiting.lease = null;
        waiting.leaseEnds = null;
      }
    }
  }

  @Override
  public synchronized Lag lag(String sink) {
    requireAvailable();
    LinkedHashMap<Long, Waiting> queue = queue(sink);
    long parkedCount = parked.getOrDefault(sink, List.of()).size();
    if (queue.isEmpty()) {
      return new Lag(0, Duration.ZERO, parkedCount);
    }
    Instant oldest = queue.values().iterator().next().queuedAt;
    return new Lag(queue.size(), Duration.between(oldest, Instant.now()), parkedCount);
  }

  private LinkedHashMap<Long, Waiting> queue(String sink) {
    LinkedHashMap<Long, Waiting> queue = outbox.get(sink);
    if (queue == null) {
      throw new IllegalArgumentException(
          "no outbox for sink '" + sink + "'; known: " + outbox.keySet());
    }
    return queue;
  }

  private void requireAvailable() {
    if (!available) {
      throw new StoreUnavailableException("the in-memory store is set unavailable");
    }
  }
}
