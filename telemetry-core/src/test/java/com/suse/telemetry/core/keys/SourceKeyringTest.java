package com.suse.telemetry.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.spi.SourceKeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceKeyringTest {

  /** The port itself is the subject here: keys in a list. */
  private static final class ListedKeys implements SourceKeyStore {
    private final List<SourceKey> keys = new ArrayList<>();

    @Override
    public synchronized List<SourceKey> all() {
      return List.copyOf(keys);
    }

    @Override
    public synchronized void add(SourceKey key) {
      keys.add(key);
    }

    @Override
    public synchronized boolean revoke(String id) {
      for (int i = 0; i < keys.size(); i++) {
        SourceKey key = keys.get(i);
        if (key.id().equals(id) && !key.isRevoked()) {
          keys.set(
              i,
              new SourceKey(
                  id,
                  key.secretHash(),
                  key.applications(),
                  key.note(),
                  key.createdAt(),
                  Instant.now()));
          return true;
        }
      }
      return false;
    }
  }

  private final ListedKeys store = new ListedKeys();
  private final SourceKeyring keyring = SourceKeyring.of(store, Duration.ofMinutes(1));

  @Test
  void knowsAKeyRevokedBeforeItWasRead() {
    SourceKeyTokens.Issued issued = SourceKeyTokens.issue(Set.of("trento"), "", Instant.now());
    store.add(issued.key());
    assertThat(store.revoke(issued.key().id())).isTrue();

    keyring.start();
    try (keyring) {
      assertThat(keyring.check("Bearer " + issued.token()).outcome())
          .isEqualTo(KeyCheck.Outcome.REVOKED);
    }
  }

  @Test
  void saysItIsNotReadyForAKeyUntilTheKeysAreRead() {
    SourceKeyTokens.Issued issued = SourceKeyTokens.issue(Set.of("trento"), "", Instant.now());
    store.add(issued.key());

    assertThat(keyring.check("Bearer " + issued.token())).isEqualTo(KeyCheck.NOT_READY);
    assertThat(keyring.check(null)).isEqualTo(KeyCheck.ABSENT);
    assertThat(keyring.check("Basic dXNlcjpwYXNz")).isEqualTo(KeyCheck.MALFORMED);

    keyring.start();
    try (keyring) {
      assertThat(keyring.check("Bearer " + issued.token()).outcome())
          .isEqualTo(KeyCheck.Outcome.VALID);
      String wrongSecret =
          issued.token().substring(0, issued.token().length() - 1)
              + (issued.token().endsWith("A") ? "B" : "A");
      assertThat(keyring.check("Bearer " + wrongSecret).outcome())
          .isEqualTo(KeyCheck.Outcome.UNKNOWN);
    }
  }
}
