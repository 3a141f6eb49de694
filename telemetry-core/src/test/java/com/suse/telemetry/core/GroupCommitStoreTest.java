package com.suse.telemetry.core;

import static com.suse.telemetry.core.TestHosts.hosts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import com.suse.telemetry.core.spi.StoreResult;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import com.suse.telemetry.core.spi.TelemetryStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class GroupCommitStoreTest {

  /** A store whose transactions take a while, recording how many submissions each held. */
  private static final class SlowStore implements TelemetryStore {
    final InMemoryTelemetryStore memory = InMemoryTelemetryStore.create();
    final List<Integer> transactions = Collections.synchronizedList(new ArrayList<>());
    volatile boolean down;
    volatile String poison;
    volatile Error crash;

    @Override
    public StoreResult store(Submission submission) {
      return storeAll(List.of(submission)).get(0);
    }

    @Override
    public List<StoreResult> storeAll(List<Submission> submissions) {
      transactions.add(submissions.size());
      if (down) {
        throw new StoreUnavailableException("down");
      }
      if (crash != null) {
        throw crash;
      }
      if (poison != null
          && submissions.stream()
              .anyMatch(s -> s.records().stream().anyMatch(r -> r.json().contains(poison)))) {
        throw new IllegalStateException("cannot store " + poison);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return memory.storeAll(submissions);
    }

    @Override
    public boolean isAvailable() {
      return !down;
    }
  }

  private static List<Future<StoreResult>> storeTogether(
      TelemetryStore store, List<Submission> submissions) {
    ExecutorService clients = Executors.newFixedThreadPool(submissions.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<StoreResult>> results = new ArrayList<>();
    for (Submission submission : submissions) {
      results.add(
          clients.submit(
              () -> {
                start.await();
                return store.store(submission);
              }));
    }
    start.countDown();
    clients.shutdown();
    return results;
  }

  @Test
  void aSubmissionAloneCommitsAloneAtOnce() {
    SlowStore slow = new SlowStore();
    try (GroupCommitStore store = GroupCommitStore.wrap(slow, 1, 1000)) {
      assertThat(store.store(hosts(3, 0))).isEqualTo(new StoreResult(3, 0));
      assertThat(store.store(hosts(3, 0))).isEqualTo(new StoreResult(0, 3));
    }
    assertThat(slow.transactions).containsExactly(1, 1);
  }

  @Test
  @Timeout(30)
  void completesAFutureOnlyOnceItsCommitIsDone() throws Exception {
    SlowStore slow = new SlowStore();
    try (GroupCommitStore store = GroupCommitStore.wrap(slow, 1, 1000)) {
      var pending = store.storeAsync(hosts(2, 0));

      assertThat(pending.get(20, TimeUnit.SECONDS)).isEqualTo(new StoreResult(2, 0));
      assertThat(slow.memory.records()).hasSize(2);
    }
  }

  @Test
  void refusesSubmissionsOnceClosed() {
    GroupCommitStore store = GroupCommitStore.wrap(new SlowStore(), 1, 1000);
    store.close();

    assertThatThrownBy(() -> store.store(hosts(1, 0)))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  @Timeout(30)
  void submissionsArrivingTogetherShareCommitsAndEachGetsItsOwnCounts() throws Exception {
    SlowStore slow = new SlowStore();
    GroupCommitStore store = GroupCommitStore.wrap(slow, 1, 1000);
    List<Submission> submissions = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      submissions.add(hosts(2, (i % 20) * 2));
    }

    List<Future<StoreResult>> results = storeTogether(store, submissions);

    int accepted = 0;
    int duplicates = 0;
    for (Future<StoreResult> result : results) {
      StoreResult counts = result.get(20, TimeUnit.SECONDS);
      assertThat(counts.accepted() + counts.duplicates()).isEqualTo(2);
      accepted += counts.accepted();
      duplicates += counts.duplicates();
    }
    assertThat(accepted).isEqualTo(40);
    assertThat(duplicates).isEqualTo(40);
    assertThat(slow.memory.records()).hasSize(40);
    assertThat(slow.transactions.size()).as("transactions for 40 submissions").isLessThan(20);
  }

  @Test
  void stopsTakingSubmissionsOnceACommitHoldsTheLimit() throws Exception {
    SlowStore slow = new SlowStore();
    GroupCommitStore store = GroupCommitStore.wrap(slow, 1, 10);
    List<Submission> submissions = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      submissions.add(hosts(4, i * 4));
    }

    for (Future<StoreResult> result : storeTogether(store, submissions)) {
      assertThat(result.get(20, TimeUnit.SECONDS).accepted()).isEqualTo(4);
    }
    // A transaction stops taking submissions once it holds 10 records or more.
    assertThat(slow.transactions).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(3));
  }

  @Test
  @Timeout(30)
  void anOutageFailsEverySubmissionOfTheCommit() throws Exception {
    SlowStore slow = new SlowStore();
    slow.down = true;
    GroupCommitStore store = GroupCommitStore.wrap(slow, 2, 1000);
    List<Submission> submissions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      submissions.add(hosts(1, i));
    }

    for (Future<StoreResult> result : storeTogether(store, submissions)) {
      assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoreUnavailableException.class);
    }
    assertThatThrownBy(() -> store.store(hosts(1, 0)))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  @Timeout(30)
  void oneSubmissionTheStoreCannotTakeFailsAlone() throws Exception {
    SlowStore slow = new SlowStore();
    GroupCommitStore store = GroupCommitStore.wrap(slow, 1, 1000);
    slow.poison = "e93c2b22-5555-5555-8666-000000000005";
    List<Submission> submissions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      submissions.add(hosts(1, i));
    }

    List<Future<StoreResult>> results = storeTogether(store, submissions);

    for (int i = 0; i < 10; i++) {
      Future<StoreResult> result = results.get(i);
      if (i == 5) {
        assertThatThrownBy(() -> result.get(20, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IllegalStateException.class);
      } else {
        assertThat(result.get(20, TimeUnit.SECONDS).accepted()).isEqualTo(1);
      }
    }
  }

  @Test
  @Timeout(30)
  void anErrorFailsItsCallersAndTheCommitterKeepsServing() throws Exception {
    SlowStore slow = new SlowStore();
    try (GroupCommitStore store = GroupCommitStore.wrap(slow, 1, 1000)) {
      slow.crash = new OutOfMemoryError("simulated");
      assertThatThrownBy(() -> store.storeAsync(hosts(1, 0)).get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(OutOfMemoryError.class);

      slow.crash = null;
      assertThat(store.storeAsync(hosts(1, 0)).get(20, TimeUnit.SECONDS))
          .isEqualTo(new StoreResult(1, 0));
    }
  }
}
