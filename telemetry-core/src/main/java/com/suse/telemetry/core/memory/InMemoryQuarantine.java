package com.suse.telemetry.core.memory;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.quarantine.QuarantineFilter;
import com.suse.telemetry.core.quarantine.QuarantineGroup;
import com.suse.telemetry.core.quarantine.QuarantinedSubmission;
import com.suse.telemetry.core.spi.Quarantine;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A quarantine held in memory, for tests and for embedding; it keeps the same contract as the
 * PostgreSQL one, and can pretend to be unreachable with {@link #setAvailable}. Thread-safe.
 */
public final class InMemoryQuarantine implements Quarantine {

  private final TreeMap<Long, QuarantinedSubmission> entries = new TreeMap<>();
  private final Map<String, Long> byFingerprint = new HashMap<>();
  private long nextId = 1;
  private long bytes;
  private volatile boolean available = true;

  private InMemoryQuarantine() {}

  /** An empty quarantine. */
  public static InMemoryQuarantine create() {
    return new InMemoryQuarantine();
  }

  /**
   * Makes the quarantine pretend to be unreachable ({@code false}) or reachable again: while
   * unreachable, every call throws {@link StoreUnavailableException}.
   */
  public void setAvailable(boolean available) {
    this.available = available;
  }

  @Override
  public synchronized Kept keep(List<QuarantinedSubmission> batch, long maxBytes) {
    requireAvailable();
    int added = 0;
    int repeats = 0;
    for (QuarantinedSubmission entry : batch) {
      Long id = byFingerprint.get(entry.fingerprint());
      if (id == null) {
        long newId = nextId++;
        entries.put(newId, withId(entry, newId));
        byFingerprint.put(entry.fingerprint(), newId);
        bytes += entry.size();
        added++;
      } else {
        QuarantinedSubmission kept = entries.get(id);
        entries.put(id, repeated(kept, entry));
        repeats++;
      }
    }
    long dropped = 0;
    if (bytes > maxBytes) {
      List<QuarantinedSubmission> oldestFirst = new ArrayList<>(entries.values());
      oldestFirst.sort(
          Comparator.comparing(QuarantinedSubmission::lastReceived)
              .thenComparingLong(QuarantinedSubmission::id));
      for (QuarantinedSubmission entry : oldestFirst) {
        if (bytes <= maxBytes) {
          break;
        }
        drop(entry.id());
        dropped++;
      }
    }
    return new Kept(added, repeats, dropped, usageNow());
  }

  @Override
  public synchronized long dropReceivedBefore(Instant cutoff) {
    requireAvailable();
    return removeWhere(entry -> entry.lastReceived().isBefore(cutoff));
  }

  @Override
  public synchronized Usage usage() {
    requireAvailable();
    return usageNow();
  }

  @Override
  public synchronized List<QuarantineGroup> groups(int limit) {
    requireAvailable();
    Map<List<String>, QuarantineGroup> groups = new LinkedHashMap<>();
    for (QuarantinedSubmission entry : entries.values()) {
      List<String> key =
          Arrays.asList(entry.application(), entry.telemetryType(), entry.firstViolation());
      QuarantineGroup group = groups.get(key);
      groups.put(
          key,
          group == null
              ? new QuarantineGroup(
                  entry.application(),
                  entry.telemetryType(),
                  entry.firstViolation(),
                  1,
                  entry.timesReceived(),
                  entry.lastReceived(),
                  entry.id())
              : new QuarantineGroup(
                  group.application(),
                  group.telemetryType(),
                  group.firstViolation(),
                  group.entries() + 1,
                  group.timesReceived() + entry.timesReceived(),
                  entry.lastReceived().isAfter(group.lastReceived())
                      ? entry.lastReceived()
                      : group.lastReceived(),
                  Math.max(group.latestId(), entry.id())));
    }
    List<QuarantineGroup> sorted = new ArrayList<>(groups.values());
    sorted.sort(
        Comparator.comparingLong(QuarantineGroup::timesReceived)
            .reversed()
            .thenComparing(QuarantineGroup::lastReceived, Comparator.reverseOrder()));
    return sorted.subList(0, Math.min(limit, sorted.size()));
  }

  @Override
  public synchronized Optional<QuarantinedSubmission> find(long id) {
    requireAvailable();
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public synchronized long count(QuarantineFilter filter) {
    requireAvailable();
    return entries.values().stream().filter(filter::test).count();
  }

  @Override
  public synchronized List<QuarantinedSubmission> page(
      QuarantineFilter filter, long afterId, int limit) {
    requireAvailable();
    return entries.tailMap(afterId, false).values().stream()
        .filter(filter::test)
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<Long> ids(QuarantineFilter filter, long afterId, int limit) {
    requireAvailable();
    return entries.tailMap(afterId, false).values().stream()
        .filter(filter::test)
        .limit(limit)
        .map(QuarantinedSubmission::id)
        .toList();
  }

  @Override
  public synchronized long remove(Collection<Long> ids) {
    requireAvailable();
    return ids.stream().distinct().filter(id -> drop(id) != null).count();
  }

  @Override
  public synchronized long purge(QuarantineFilter filter) {
    requireAvailable();
    return removeWhere(filter::test);
  }

  private long removeWhere(Predicate<QuarantinedSubmission> doomed) {
    List<Long> ids =
        entries.values().stream().filter(doomed).map(QuarantinedSubmission::id).toList();
    ids.forEach(this::drop);
    return ids.size();
  }

  private QuarantinedSubmission drop(long id) {
    QuarantinedSubmission entry = entries.remove(id);
    if (entry != null) {
      byFingerprint.remove(entry.fingerprint());
      bytes -= entry.size();
    }
    return entry;
  }

  private Usage usageNow() {
    return new Usage(entries.size(), bytes);
  }

  private static QuarantinedSubmission withId(QuarantinedSubmission entry, long id) {
    return new QuarantinedSubmission(
        id,
        entry.fingerprint(),
        entry.route(),
        entry.mediaType(),
        entry.application(),
        entry.telemetryType(),
        entry.schemaVersion(),
        entry.violations(),
        entry.body(),
        entry.receivedSize(),
        entry.firstReceived(),
        entry.lastReceived(),
        entry.timesReceived());
  }

  private static QuarantinedSubmission repeated(
      QuarantinedSubmission kept, QuarantinedSubmission again) {
    requireNonNull(again, "again");
    Instant last =
        again.lastReceived().isAfter(kept.lastReceived())
            ? again.lastReceived()
            : kept.lastReceived();
    return new QuarantinedSubmission(
        kept.id(),
        kept.fingerprint(),
        kept.route(),
        kept.mediaType(),
        kept.application(),
        kept.telemetryType(),
        kept.schemaVersion(),
        kept.violations(),
        kept.body(),
        kept.receivedSize(),
        kept.firstReceived(),
        Objects.requireNonNull(last),
        kept.timesReceived() + again.timesReceived());
  }

  private void requireAvailable() {
    if (!available) {
      throw new StoreUnavailableException("the in-memory quarantine is set unavailable");
    }
  }
}
