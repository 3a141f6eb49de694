package com.suse.telemetry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.core.Submission;
import com.suse.telemetry.core.TelemetryRecord;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.spi.Outbox;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract every primary store and outbox must keep. A store adapter's test extends this class
 * and says how to make a store; the groups below then check it against the real thing: storing and
 * reading back, duplicates, concurrent submissions, the outbox, and outages.
 */
public abstract class TelemetryStoreContract {

  /** The secondary sinks every store under test writes outbox entries for. */
  protected static final List<String> SINKS = List.of("influxdb", "archive");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A store under test.
   *
   * @param store the primary store
   * @param outbox its outbox
   * @param storedRecords reads back every stored record, in the order stored
   */
  public record Subject(
      TelemetryStore store, Outbox outbox, Supplier<List<TelemetryRecord>> storedRecords) {}

  /** A store whose backend the test stops and starts, as an outage would. */
  public interface Outage extends AutoCloseable {

    /** The store, empty at first. */
    Subject subject();

    /** Takes the backend away. */
    void stop();

    /** Brings the backend back; the store must recover by itself. */
    void start();

    @Override
    void close();
  }

  /** An empty store writing outbox entries for {@code sinks}; a new one for every test. */
  protected abstract Subject newSubject(List<String> sinks);

  /** An empty store, writing outbox entries for {@code sinks}, whose backend can be stopped. */
  protected abstract Outage newOutage(List<String> sinks);

  private Subject subject;

  @BeforeEach
  void createSubject() {
    subject = newSubject(SINKS);
  }

  private StoreResult store(Submission submission) {
    return subject.store().store(submission);
  }

  private List<TelemetryRecord> stored() {
    return subject.storedRecords().get();
  }

  /**
   * Checks that {@code actual} holds {@code expected}'s records as a store keeps them, in any
   * order: a store may order the records of one submission as it likes.
   */
  private static void assertSameRecords(
      List<TelemetryRecord> actual, List<TelemetryRecord> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    Map<String, TelemetryRecord> byIdentity = new HashMap<>();
    actual.forEach(record -> byIdentity.put(record.identity(), record));
    for (TelemetryRecord record : expected) {
      assertThat(byIdentity).containsKey(record.identity());
      assertSameRecord(byIdentity.get(record.identity()), record);
    }
  }

  /** Checks that {@code actual} is {@code expected} as a store keeps it. */
  private static void assertSameRecord(TelemetryRecord actual, TelemetryRecord expected) {
    assertThat(actual.type()).isEqualTo(expected.type());
    assertThat(actual.identity()).isEqualTo(expected.identity());
    assertThat(actual.time()).as("record time, to the nanosecond").isEqualTo(expected.time());
    assertThat(actual.receivedAt().truncatedTo(ChronoUnit.MICROS))
        .as("received time, to the microsecond")
        .isEqualTo(expected.receivedAt().truncatedTo(ChronoUnit.MICROS));
    assertThat(JSON.readTree(actual.json()))
        .as("content")
        .isEqualTo(JSON.readTree(expected.json()));
  }

  private static Set<String> identities(List<TelemetryRecord> records) {
    Set<String> identities = new HashSet<>();
    records.forEach(record -> identities.add(record.identity()));
    return identities;
  }

  @Nested
  class StoreAndReadBack {

    @Test
    void storesEveryRecordWithItsTypeTimesIdentityAndContent() {
      Submission hosts = TestTelemetry.hosts(25, 1);

      assertThat(store(hosts)).isEqualTo(new StoreResult(25, 0));

      assertSameRecords(stored(), hosts.records());
    }

    @Test
    void storesAnEmptySubmission() {
      assertThat(store(Submission.of(List.of()))).isEqualTo(new StoreResult(0, 0));
      assertThat(stored()).isEmpty();
    }

    @Test
    void keepsRecordsOfDifferentTypesApartEvenWithTheSameIdentity() {
      TelemetryTypeId profiles = new TelemetryTypeId("sles", "system_profile", 1);
      TelemetryRecord host = TestTelemetry.hosts(1, 2).records().get(0);
      TelemetryRecord profile = TestTelemetry.record(profiles, host.identity(), "{\"a\": 1}");

      assertThat(store(Submission.of(List.of(host, profile)))).isEqualTo(new StoreResult(2, 0));
      assertThat(stored())
          .extracting(TelemetryRecord::type)
          .containsExactlyInAnyOrder(TestTelemetry.TRENTO_HOSTS, profiles);
    }

    @Test
    void storesSeveralSubmissionsTogetherCountingEachOnItsOwn() {
      Submission first = TestTelemetry.hosts(3, 3);
      Submission second = TestTelemetry.hosts(4, 4);

      List<StoreResult> results = subject.store().storeAll(List.of(first, second, first));

      assertThat(results)
          .containsExactly(new StoreResult(3, 0), new StoreResult(4, 0), new StoreResult(0, 3));
      assertThat(stored()).hasSize(7);
    }
  }

  @Nested
  class Duplicates {

    @Test
    void countsRecordsStoredBeforeAsDuplicatesAndStoresThemOnce() {
      store(TestTelemetry.hosts(10, 5));

      StoreResult again =
          store(TestTelemetry.combined(TestTelemetry.hosts(10, 5), TestTelemetry.hosts(2, 6)));

      assertThat(again).isEqualTo(new StoreResult(2, 10));
      assertThat(stored()).hasSize(12);
    }

    @Test
    void storesTheSameIdentityAtAnotherRecordTimeAsAnotherRecord() {
      TelemetryRecord first = TestTelemetry.hosts(1, 12).records().get(0);
      TelemetryRecord later =
          new TelemetryRecord(
              first.type(),
              first.time().plus(Duration.ofDays(40)),
              first.receivedAt(),
              first.identity(),
              first.json());

      StoreResult result = store(Submission.of(List.of(first, later, first)));

      assertThat(result).isEqualTo(new StoreResult(2, 1));
      assertThat(stored()).extracting(TelemetryRecord::time).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void countsARecordRepeatedWithinOneSubmissionOnce() {
      Submission hosts = TestTelemetry.hosts(3, 7);

      StoreResult result = store(TestTelemetry.combined(hosts, hosts));

      assertThat(result).isEqualTo(new StoreResult(3, 3));
      assertThat(stored()).hasSize(3);
    }

    @Test
    void storesNothingOfAnEnvelopeWhoseIdWasSeenBefore() {
      UUID envelopeId = UUID.randomUUID();
      store(TestTelemetry.hostsWithEnvelopeId(envelopeId, 3, 8));

      StoreResult resent = store(TestTelemetry.hostsWithEnvelopeId(envelopeId, 5, 9));

      assertThat(resent).isEqualTo(new StoreResult(0, 5));
      assertThat(stored()).hasSize(3);
    }

    @Test
    void storesAnEnvelopeWithANewIdEvenIfItsRecordsAreKnown() {
      store(TestTelemetry.hostsWithEnvelopeId(UUID.randomUUID(), 3, 10));

      StoreResult result = store(TestTelemetry.hostsWithEnvelopeId(UUID.randomUUID(), 3, 10));

      assertThat(result).isEqualTo(new StoreResult(0, 3));
    }
  }

  @Nested
  class ConcurrentSubmissions {

    @Test
    @Timeout(60)
    void storeEachRecordOnceWhenTheSameRecordsArriveTogether() throws Exception {
      Submission hosts = TestTelemetry.hosts(50, 11);
      List<StoreResult> results = runTogether(8, i -> store(hosts));

      assertThat(results.stream().mapToInt(StoreResult::accepted).sum()).isEqualTo(50);
      assertThat(results.stream().mapToInt(StoreResult::duplicates).sum()).isEqualTo(7 * 50);
      assertThat(stored()).hasSize(50);
    }

    @Test
    @Timeout(60)
    void neverDeadlockOnOverlappingSubmissions() throws Exception {
      // Each submission shares half its records with the next, in opposite orders.
      List<Submission> parts = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        parts.add(TestTelemetry.hosts(20, 100 + i));
      }
      List<StoreResult> results =
          runTogether(
              8,
              i -> {
                List<TelemetryRecord> records = new ArrayList<>(parts.get(i).records());
                records.addAll(parts.get(i + 1).records());
                if (i % 2 == 1) {
                  Collections.reverse(records);
                }
                return store(Submission.of(records));
              });

      assertThat(results.stream().mapToInt(StoreResult::accepted).sum()).isEqualTo(9 * 20);
      assertThat(identities(stored())).hasSize(9 * 20);
      assertThat(stored()).hasSize(9 * 20);
    }

    @Test
    @Timeout(60)
    void storeEachEnvelopeOnceWhenItArrivesTwiceAtOnce() throws Exception {
      UUID envelopeId = UUID.randomUUID();
      List<StoreResult> results =
          runTogether(6, i -> store(TestTelemetry.hostsWithEnvelopeId(envelopeId, 4, 200 + i)));

      assertThat(results.stream().mapToInt(StoreResult::accepted).sum()).isEqualTo(4);
      assertThat(stored()).hasSize(4);
    }
  }

  @Nested
  class OutboxPerSink {

    private final List<List<TelemetryRecord>> delivered = new ArrayList<>();

    private Outbox outbox() {
      return subject.outbox();
    }

    private int deliver(String sink, int limit) {
      return TestOutbox.deliver(
          outbox(),
          sink,
          limit,
          records -> {
            delivered.add(records);
            return List.of();
          });
    }

    private static List<Long> ids(Outbox.Claim claim) {
      return claim.entries().stream().map(Outbox.Entry::id).toList();
    }

    @Test
    void holdsEachStoredRecordOnceForEverySink() {
      store(TestTelemetry.hosts(5, 20));
      store(TestTelemetry.hosts(5, 20));

      for (String sink : SINKS) {
        assertThat(outbox().lag(sink).pending()).as(sink).isEqualTo(5);
      }
    }

    @Test
    void deliversInStoreOrderAndForgetsWhatWasDelivered() {
      Submission first = TestTelemetry.hosts(3, 21);
      Submission second = TestTelemetry.hosts(4, 22);
      store(first);
      store(second);

      assertThat(deliver("influxdb", 3)).isEqualTo(3);
      assertThat(deliver("influxdb", 5)).isEqualTo(4);
      assertThat(deliver("influxdb", 5)).isZero();

      assertSameRecords(delivered.get(0), first.records());
      assertSameRecords(delivered.get(1), second.records());
      assertThat(outbox().lag("influxdb")).isEqualTo(new Outbox.Lag(0, Duration.ZERO, 0));
      assertThat(outbox().lag("archive").pending()).as("other sinks keep theirs").isEqualTo(7);
    }

    @Test
    void handsOutNewEntriesAsNeverFailed() {
      store(TestTelemetry.hosts(2, 26));

      Outbox.Claim claim = outbox().claim("influxdb", 10, TestOutbox.LEASE);

      assertThat(claim.sink()).isEqualTo("influxdb");
      assertThat(claim.entries())
          .hasSize(2)
          .allSatisfy(
              entry -> {
                assertThat(entry.attempts()).isZero();
                assertThat(entry.failingSince()).isNull();
              });
    }

    @Test
    void releasesWhatASettlementLeavesOutForTheNextClaimAtOnce() {
      store(TestTelemetry.hosts(3, 23));
      Outbox.Claim claim = outbox().claim("influxdb", 10, TestOutbox.LEASE);

      outbox()
          .settle(
              claim, Outbox.Settlement.builder().delivered(claim.entries().get(0).id()).build());

      Outbox.Claim again = outbox().claim("influxdb", 10, TestOutbox.LEASE);
      assertThat(ids(again)).containsExactlyElementsOf(ids(claim).subList(1, 3));
      assertThat(again.lease()).isNotEqualTo(claim.lease());
    }

    @Test
    @Timeout(60)
    void handsALeasedEntryToNobodyElseUntilTheLeaseRunsOut() {
      store(TestTelemetry.hosts(3, 27));
      Outbox.Claim first = outbox().claim("influxdb", 2, Duration.ofMillis(500));

      Outbox.Claim second = outbox().claim("influxdb", 10, TestOutbox.LEASE);
      assertThat(ids(second))
          .as("only the entry nobody holds")
          .hasSize(1)
          .doesNotContainAnyElementsOf(ids(first));

      Outbox.Claim takenOver =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> outbox().claim("influxdb", 10, TestOutbox.LEASE),
                  claim -> !claim.isEmpty());
      assertThat(ids(takenOver)).containsExactlyElementsOf(ids(first));
    }

    @Test
    @Timeout(60)
    void removesWhatWasDeliveredEvenWhenTheLeaseWasTakenOverMeanwhile() {
      store(TestTelemetry.hosts(2, 28));
      Outbox.Claim slow = outbox().claim("influxdb", 10, Duration.ofMillis(300));
      Outbox.Claim takeover =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> outbox().claim("influxdb", 10, TestOutbox.LEASE),
                  claim -> !claim.isEmpty());
      Outbox.Settlement.Builder failed = Outbox.Settlement.builder();
      takeover.entries().forEach(entry -> failed.fail(entry.id(), "late", Instant.now()));

      Outbox.Settlement.Builder slowDelivered = Outbox.Settlement.builder();
      slow.entries().forEach(entry -> slowDelivered.delivered(entry.id()));
      outbox().settle(slow, slowDelivered.build());
      outbox().settle(takeover, failed.build());

      assertThat(outbox().lag("influxdb").pending()).isZero();
    }

    @Test
    @Timeout(60)
    void leavesAnEntryAloneOnceItsLeaseWentToAnotherClaim() {
      store(TestTelemetry.hosts(1, 29));
      Outbox.Claim lost = outbox().claim("influxdb", 10, Duration.ofMillis(300));
      Outbox.Claim takeover =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> outbox().claim("influxdb", 10, TestOutbox.LEASE),
                  claim -> !claim.isEmpty());

      outbox()
          .settle(
              lost,
              Outbox.Settlement.builder()
                  .fail(lost.entries().get(0).id(), "late", Instant.now())
                  .build());

      assertThat(outbox().claim("influxdb", 10, TestOutbox.LEASE).isEmpty())
          .as("still leased to the takeover")
          .isTrue();
      outbox().settle(takeover, Outbox.Settlement.builder().build());
      assertThat(outbox().claim("influxdb", 10, TestOutbox.LEASE).entries())
          .singleElement()
          .extracting(Outbox.Entry::attempts)
          .isEqualTo(0);
    }

    @Test
    void countsTheAttemptsOfAnEntryThatFailsOnItsOwn() {
      store(TestTelemetry.hosts(2, 30));
      Instant since = Instant.parse("2025-03-04T05:06:07.123456Z");
      Outbox.Claim claim = outbox().claim("influxdb", 10, TestOutbox.LEASE);
      long failing = claim.entries().get(1).id();

      outbox().settle(claim, Outbox.Settlement.builder().fail(failing, "HTTP 500", since).build());
      Outbox.Claim again = outbox().claim("influxdb", 10, TestOutbox.LEASE);
      outbox().settle(again, Outbox.Settlement.builder().fail(failing, "HTTP 500", since).build());

      Outbox.Entry entry =
          outbox().claim("influxdb", 10, TestOutbox.LEASE).entries().stream()
              .filter(e -> e.id() == failing)
              .findFirst()
              .orElseThrow();
      assertThat(entry.attempts()).isEqualTo(2);
      assertThat(entry.failingSince()).isEqualTo(since);
    }

    @Test
    void setsParkedEntriesAsideAndCountsThem() {
      store(TestTelemetry.hosts(3, 24));
      Outbox.Claim claim = outbox().claim("influxdb", 10, TestOutbox.LEASE);

      outbox()
          .settle(
              claim,
              Outbox.Settlement.builder()
                  .delivered(claim.entries().get(0).id())
                  .park(claim.entries().get(1).id(), "field type conflict", 3)
                  .build());

      assertThat(outbox().lag("influxdb").pending()).isEqualTo(1);
      assertThat(outbox().lag("influxdb").parked()).isEqualTo(1);
      assertThat(ids(outbox().claim("influxdb", 10, TestOutbox.LEASE)))
          .containsExactly(claim.entries().get(2).id());
    }

    @Test
    void keepsWhatAFailedDeliveryWasGiven() {
      store(TestTelemetry.hosts(3, 23));

      assertThatThrownBy(
              () ->
                  TestOutbox.deliver(
                      outbox(),
                      "influxdb",
                      10,
                      records -> {
                        throw new IllegalStateException("sink down");
                      }))
          .hasMessage("sink down");

      assertThat(outbox().lag("influxdb").pending()).isEqualTo(3);
      assertThat(deliver("influxdb", 10)).isEqualTo(3);
    }

    @Test
    void reportsHowLongTheOldestRecordHasWaited() throws InterruptedException {
      store(TestTelemetry.hosts(2, 25));
      Thread.sleep(50);

      Outbox.Lag lag = outbox().lag("influxdb");

      assertThat(lag.pending()).isEqualTo(2);
      assertThat(lag.oldestAge()).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }

    @Test
    @Timeout(60)
    void neverHandsTheSameRecordToTwoDrainersAtOnce() throws Exception {
      for (int i = 0; i < 10; i++) {
        store(TestTelemetry.hosts(20, 300 + i));
      }
      Set<String> seen = ConcurrentHashMap.newKeySet();
      AtomicBoolean doubled = new AtomicBoolean();
      runTogether(
          4,
          i -> {
            while (TestOutbox.deliver(
                    outbox(),
                    "influxdb",
                    7,
                    records -> {
                      records.forEach(
                          record -> doubled.compareAndSet(false, !seen.add(record.identity())));
                      return List.of();
                    })
                > 0) {
              Thread.onSpinWait();
            }
            return null;
          });

      assertThat(doubled).isFalse();
      assertThat(seen).hasSize(200);
    }
  }

  @Nested
  class Unavailability {

    @Test
    @Timeout(120)
    void failsAsUnavailableWhileDownAndWorksAgainOnceBack() {
      try (Outage outage = newOutage(SINKS)) {
        Subject subject = outage.subject();
        subject.store().store(TestTelemetry.hosts(2, 400));

        outage.stop();
        assertThat(subject.store().isAvailable()).isFalse();
        assertThatThrownBy(() -> subject.store().store(TestTelemetry.hosts(2, 401)))
            .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> subject.outbox().claim("influxdb", 10, TestOutbox.LEASE))
            .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> subject.outbox().lag("influxdb"))
            .isInstanceOf(StoreUnavailableException.class);

        outage.start();
        // Back within the time a connection takes, which a busy machine can stretch past one try.
        await().atMost(Duration.ofSeconds(30)).until(() -> subject.store().isAvailable());
        assertThat(subject.store().store(TestTelemetry.hosts(2, 401)))
            .isEqualTo(new StoreResult(2, 0));
        assertThat(subject.storedRecords().get()).hasSize(4);
      }
    }

    @Test
    @Timeout(180)
    void losesAndDoublesNothingWhenTheBackendStopsMidStream() throws Exception {
      try (Outage outage = newOutage(SINKS)) {
        Subject subject = outage.subject();
        List<Submission> submissions = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          submissions.add(TestTelemetry.hosts(10, 1000 + i));
        }
        List<Submission> failed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch someStored = new CountDownLatch(20);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writing =
            writer.submit(
                () -> {
                  for (Submission submission : submissions) {
                    try {
                      subject.store().store(submission);
                    } catch (StoreUnavailableException e) {
                      failed.add(submission);
                    }
                    someStored.countDown();
                    Thread.sleep(1);
                  }
                  return null;
                });
        assertThat(someStored.await(60, TimeUnit.SECONDS)).isTrue();
        outage.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (failed.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        outage.start();
        writing.get(150, TimeUnit.SECONDS);
        writer.shutdown();

        assertThat(failed).as("submissions failed during the outage").isNotEmpty();
        for (Submission submission : failed) {
          StoreResult retried = subject.store().store(submission);
          assertThat(retried.accepted() + retried.duplicates()).isEqualTo(10);
        }
        List<TelemetryRecord> stored = subject.storedRecords().get();
        assertThat(stored).hasSize(4000);
        assertThat(identities(stored)).hasSize(4000);
        assertThat(subject.outbox().lag("influxdb").pending()).isEqualTo(4000);
      }
    }
  }

  private interface Task<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code count} tasks released at the same moment; returns their results in order. */
  private static <T> List<T> runTogether(int count, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await();
                    return task.run(index);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (CompletableFuture<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
