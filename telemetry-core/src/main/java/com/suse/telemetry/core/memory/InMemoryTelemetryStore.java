package com.suse.telemetry.core.memory;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.core.spi.TelemetrySink;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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

  private record Entry(long sequence, TelemetryRecord record, Instant enqueuedAt) {}

  private final Map<Key, TelemetryRecord> records = new LinkedHashMap<>();
  private final Set<UUID> envelopeIds = new HashSet<>();
  private final Map<String, LinkedHashMap<Long, Entry>> outbox = new HashMap<>();
  private final Set<Long> inFlight = new HashSet<>();
  private final List<TelemetrySink.Rejection> rejections = new ArrayList<>();
  private long nextSequence;
  private volatile boolean available = true;

  private InMemoryTelemetryStore(List<String> sinks) {
    sinks.forEach(sink -> outbox.put(requireNonNull(sink, "sink"), new LinkedHashMap<>()));
  }

  /** An empty store writing outbox entries for each of {@code sinks}. */
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
        for (LinkedHashMap<Long, Entry> queue : outbox.values()) {
          long sequence = nextSequence++;
          queue.put(sequence, new Entry(sequence, record, now));
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

  /** Every record a sink refused for good, with the reason. */
  public synchronized List<TelemetrySink.Rejection> rejections() {
    return List.copyOf(rejections);
  }

  @Override
  public int deliver(String sink, int limit, Delivery delivery) {
    List<Entry> batch = claim(sink, limit);
    if (batch.isEmpty()) {
      return 0;
    }
    List<TelemetryRecord> batchRecords = batch.stream().map(Entry::record).toList();
    List<TelemetrySink.Rejection> rejected;
    try {
      rejected = delivery.deliver(batchRecords);
    } catch (RuntimeException e) {
      release(batch, sink, false);
      throw e;
    }
    synchronized (this) {
      rejections.addAll(rejected);
      release(batch, sink, true);
    }
    return batch.size();
  }

  private synchronized List<Entry> claim(String sink, int limit) {
    requireAvailable();
    List<Entry> batch = new ArrayList<>();
    Iterator<Entry> waiting = queue(sink).values().iterator();
    while (batch.size() < limit && waiting.hasNext()) {
      Entry entry = waiting.next();
      if (inFlight.add(entry.sequence())) {
        batch.add(entry);
      }
    }
    return batch;
  }

  private synchronized void release(List<Entry> batch, String sink, boolean delivered) {
    for (Entry entry : batch) {
      inFlight.remove(entry.sequence());
      if (delivered) {
        queue(sink).remove(entry.sequence());
      }
    }
  }

  @Override
  public synchronized Lag lag(String sink) {
    requireAvailable();
    LinkedHashMap<Long, Entry> queue = queue(sink);
    if (queue.isEmpty()) {
      return new Lag(0, Duration.ZERO);
    }
    Instant oldest = queue.values().iterator().next().enqueuedAt();
    return new Lag(queue.size(), Duration.between(oldest, Instant.now()));
  }

  private LinkedHashMap<Long, Entry> queue(String sink) {
    LinkedHashMap<Long, Entry> queue = outbox.get(sink);
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
