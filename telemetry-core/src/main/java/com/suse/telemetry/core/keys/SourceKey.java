package com.suse.telemetry.core.keys;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * A source key as kept: its id, a hash of its secret (never the secret), the applications it may
 * publish for, a note for people, and when it was made and revoked.
 *
 * @param id the key's public id, as logs name it
 * @param secretHash SHA-256 of the key's secret
 * @param applications the applications it may publish for
 * @param note what it is for, e.g. who holds it
 * @param createdAt when it was made
 * @param revokedAt when it was revoked, or null while it is valid
 */
public record SourceKey(
    String id,
    byte[] secretHash,
    Set<String> applications,
    String note,
    Instant createdAt,
    Instant revokedAt) {

  /** Checks the parts and copies the mutable ones. */
  public SourceKey {
    requireNonNull(id, "id");
    secretHash = requireNonNull(secretHash, "secretHash").clone();
    applications = Set.copyOf(applications);
    note = note == null ? "" : note;
    requireNonNull(createdAt, "createdAt");
  }

  /** The hash of the secret (a copy). */
  @Override
  public byte[] secretHash() {
    return secretHash.clone();
  }

  /** Whether it may publish for {@code application}. */
  public boolean covers(String application) {
    return applications.contains(application);
  }

  /** Whether it was revoked. */
  public boolean isRevoked() {
    return revokedAt != null;
  }

  /** When it was revoked, if it was. */
  public Optional<Instant> revoked() {
    return Optional.ofNullable(revokedAt);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SourceKey key
        && key.id.equals(id)
        && Arrays.equals(key.secretHash, secretHash)
        && key.applications.equals(applications)
        && key.note.equals(note)
        && key.createdAt.equals(createdAt)
        && java.util.Objects.equals(key.revokedAt, revokedAt);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "SourceKey[" + id + ", applications=" + applications + ", revoked=" + isRevoked() + "]";
  }
}
