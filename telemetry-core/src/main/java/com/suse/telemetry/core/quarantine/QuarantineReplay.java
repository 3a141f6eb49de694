package com.suse.telemetry.core.quarantine;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.IngestionResult;
import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.core.internal.JsonDocuments;
import com.suse.telemetry.core.spi.Quarantine;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays quarantined submissions: validates each again against the registry as it is now (a type
 * version added, another schemas directory) and ingests those that pass through the normal path, so
 * that de-duplication applies (replaying twice stores nothing twice) and stored records are
 * forwarded like any other; those are then removed from the quarantine. Each is validated as it was
 * received: with its first arrival as the time of receipt, an envelope as the envelope it was, a
 * legacy Trento body as a bare array of {@code trento/host_telemetry} v1; unless the replay names
 * another version of the type to take them as.
 *
 * <p>Not thread-safe: one replay at a time per object. Several replays of the same entries at once
 * store nothing twice, but may count the same records as stored and as duplicates.
 */
public final class QuarantineReplay {

  // Ids are read a page at a time, and entries one at a time: a body may be megabytes.
  private static final int PAGE = 500;

  private final Quarantine quarantine;
  private final TelemetryTypeRegistry registry;
  private final TelemetryStore store;

  private QuarantineReplay(
      Quarantine quarantine, TelemetryTypeRegistry registry, TelemetryStore store) {
    this.quarantine = quarantine;
    this.registry = registry;
    this.store = store;
  }

  /** A replay from {@code quarantine} against {@code registry}, storing into {@code store}. */
  public static QuarantineReplay create(
      Quarantine quarantine, TelemetryTypeRegistry registry, TelemetryStore store) {
    return new QuarantineReplay(
        requireNonNull(quarantine, "quarantine"),
        requireNonNull(registry, "registry"),
        requireNonNull(store, "store"));
  }

  /**
   * What to replay, and how.
   *
   * @param filter which entries
   * @param asVersion the schema version to take them as, or 0 to take each as the version it
   *     claimed; needs a filter on one telemetry type
   * @param dryRun validate only: store nothing, remove nothing
   */
  public record Options(QuarantineFilter filter, int asVersion, boolean dryRun) {

    /** Checks that a version to take them as comes with one type. */
    public Options {
      requireNonNull(filter, "filter");
      if (asVersion < 0) {
        throw new IllegalArgumentException("asVersion must not be negative");
      }
      if (asVersion > 0 && filter.telemetryType() == null) {
        throw new IllegalArgumentException("a version to replay as needs one telemetry type");
      }
    }
  }

  /**
   * What a replay did, so far or in the end.
   *
   * @param total entries that passed the filter when it began
   * @param done entries looked at
   * @param replayed entries now valid: stored (or, in a dry run, that would be) and removed
   * @param stillInvalid entries still rejected, left in the quarantine
   * @param records records newly stored (in a dry run: records that would be offered to the store)
   * @param duplicates records already stored
   */
  public record Report(
      long total, long done, long replayed, long stillInvalid, long records, long duplicates) {}

  /** Told of a replay's progress after each entry. */
  @FunctionalInterface
  public interface Progress {

    /** {@code report} says what was done so far. */
    void update(Report report);
  }

  /**
   * Replays the entries {@code options} names, in the order they were first kept.
   *
   * @throws com.suse.telemetry.core.spi.StoreUnavailableException if the store or the quarantine
   *     cannot be reached; what was replayed before stays stored, and removed from the quarantine
   * @throws IllegalArgumentException if the version to replay as is not in the registry
   */
  public Report run(Options options, Progress progress) {
    requireNonNull(options, "options");
    requireNonNull(progress, "progress");
    if (options.asVersion() > 0) {
      TelemetryTypeId target = target(options, null);
      if (registry.find(target).isEmpty()) {
        throw new IllegalArgumentException(
            "no telemetry type " + target + " (known: " + registry.types() + ")");
      }
    }
    long total = quarantine.count(options.filter());
    long done = 0;
    long replayed = 0;
    long stillInvalid = 0;
    long records = 0;
    long duplicates = 0;
    long after = 0;
    while (true) {
      List<Long> page = quarantine.ids(options.filter(), after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      List<Long> replayedIds = new ArrayList<>();
      for (long id : page) {
        after = id;
        QuarantinedSubmission entry = quarantine.find(id).orElse(null);
        if (entry == null) {
          continue; // removed meanwhile (purged, dropped, or replayed elsewhere)
        }
        done++;
        Outcome outcome = replay(entry, options);
        if (outcome.valid()) {
          replayed++;
          records += outcome.records();
          duplicates += outcome.duplicates();
          replayedIds.add(entry.id());
        } else {
          stillInvalid++;
        }
        progress.update(new Report(total, done, replayed, stillInvalid, records, duplicates));
      }
      if (!options.dryRun() && !replayedIds.isEmpty()) {
        quarantine.remove(replayedIds);
      }
    }
    return new Report(total, done, replayed, stillInvalid, records, duplicates);
  }

  /** What replaying one entry did. */
  private record Outcome(boolean valid, int records, int duplicates) {

    static final Outcome INVALID = new Outcome(false, 0, 0);

    static Outcome of(IngestionResult result) {
      return result.isAccepted()
          ? new Outcome(true, result.accepted(), result.duplicates())
          : INVALID;
    }

    /** A dry run's verdict: the records that would be offered to the store. */
    static Outcome of(ValidationResult validation) {
      return validation.isValid()
          ? new Outcome(true, validation.submission().records().size(), 0)
          : INVALID;
    }
  }

  /** Ingests (or in a dry run, validates) one entry. */
  private Outcome replay(QuarantinedSubmission entry, Options options) {
    if (entry.isTruncated()) {
      return Outcome.INVALID; // not even JSON: only its beginning was kept
    }
    // Received when it first arrived: a legacy body's envelope time, and the records' time of
    // receipt, are what they would have been.
    TelemetryValidator validator =
        TelemetryValidator.create(registry, Clock.fixed(entry.firstReceived(), ZoneOffset.UTC));
    byte[] body = entry.body();
    if (entry.route() == SubmissionRoute.LEGACY_TRENTO_HOSTS) {
      TelemetryTypeId type = target(options, QuarantineEntries.TRENTO_HOSTS);
      if (registry.find(type).isEmpty()) {
        return Outcome.INVALID;
      }
      if (options.dryRun()) {
        return Outcome.of(validator.validatePayload(type, body));
      }
      return Outcome.of(IngestionService.create(validator, store).ingestPayload(type, body));
    }
    if (options.asVersion() > 0) {
      body = withSchemaVersion(body, options.asVersion());
      if (body == null) {
        return Outcome.INVALID;
      }
    }
    if (options.dryRun()) {
      return Outcome.of(validator.validate(body));
    }
    return Outcome.of(IngestionService.create(validator, store).ingest(body));
  }

  private static TelemetryTypeId target(Options options, TelemetryTypeId claimed) {
    if (options.asVersion() == 0) {
      return claimed;
    }
    QuarantineFilter filter = options.filter();
    return new TelemetryTypeId(filter.application(), filter.telemetryType(), options.asVersion());
  }

  /** The envelope with its {@code schema_version} set to {@code version}; null if no envelope. */
  private static byte[] withSchemaVersion(byte[] envelope, int version) {
    JsonDocuments.Parsed parsed = JsonDocuments.parse(envelope);
    if (!parsed.isValid() || !(parsed.root() instanceof ObjectNode object)) {
      return null;
    }
    object.put("schema_version", version);
    return JsonDocuments.write(object).getBytes(StandardCharsets.UTF_8);
  }
}
