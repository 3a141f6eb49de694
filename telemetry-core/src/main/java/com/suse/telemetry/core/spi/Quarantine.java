package com.suse.telemetry.core.spi;

import com.suse.telemetry.core.quarantine.QuarantineFilter;
import com.suse.telemetry.core.quarantine.QuarantineGroup;
import com.suse.telemetry.core.quarantine.QuarantinedSubmission;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where submissions rejected by validation are kept, so that they can be inspected and replayed
 * once the schema is fixed. Bounded: {@link #keep} drops the entries received longest ago while the
 * quarantine is over its size cap, and {@link #dropReceivedBefore} those past the retention period.
 * Implementations are thread-safe.
 *
 * <p>Every method may throw {@link StoreUnavailableException} when the quarantine cannot be
 * reached.
 */
public interface Quarantine {

  /**
   * Keeps {@code entries} (their ids are ignored), each of a different fingerprint. An entry whose
   * fingerprint is kept already is a repeat: its count grows by the entry's {@link
   * QuarantinedSubmission#timesReceived()} and its last received time moves on; nothing else
   * changes. Then, while the total {@link QuarantinedSubmission#size()} is over {@code maxBytes},
   * drops the entries last received longest ago, in the same transaction, so that the quarantine is
   * never seen over its cap.
   */
  Kept keep(List<QuarantinedSubmission> entries, long maxBytes);

  /** Drops every entry last received before {@code cutoff}; returns how many. */
  long dropReceivedBefore(Instant cutoff);

  /** How much the quarantine holds now. */
  Usage usage();

  /**
   * Entries grouped by claimed type and first violation, the groups received most often first; at
   * most {@code limit} groups.
   */
  List<QuarantineGroup> groups(int limit);

  /** The entry with this id, if it is kept. */
  Optional<QuarantinedSubmission> find(long id);

  /** How many entries pass {@code filter}. */
  long count(QuarantineFilter filter);

  /**
   * Up to {@code limit} entries passing {@code filter} with ids over {@code afterId}, by id. Each
   * comes with its body (up to the decompressed body limit): keep {@code limit} small, or page
   * through {@link #ids} and {@link #find} one at a time.
   */
  List<QuarantinedSubmission> page(QuarantineFilter filter, long afterId, int limit);

  /**
   * The ids of up to {@code limit} entries passing {@code filter}, over {@code afterId}, in order.
   */
  List<Long> ids(QuarantineFilter filter, long afterId, int limit);

  /** Removes the entries with these ids; returns how many were kept. */
  long remove(Collection<Long> ids);

  /** Removes every entry passing {@code filter}; returns how many. */
  long purge(QuarantineFilter filter);

  /**
   * What one {@link #keep} did.
   *
   * @param added entries new to the quarantine
   * @param repeats entries whose fingerprint was kept already (counted, not kept again)
   * @param droppedForSize entries dropped to stay within the size cap
   * @param usage what the quarantine holds afterwards
   */
  record Kept(int added, int repeats, long droppedForSize, Usage usage) {}

  /**
   * What the quarantine holds.
   *
   * @param entries how many different bodies
   * @param bytes their total {@link QuarantinedSubmission#size()}
   */
  record Usage(long entries, long bytes) {}
}
