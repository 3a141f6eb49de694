package com.suse.telemetry.client;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a publisher keeps each envelope from before its first sending until the collector
 * acknowledges or refuses it, so that a restarted source sends it again with the same id. Safe to
 * use from several threads.
 */
interface Spool extends AutoCloseable {

  /**
   * Keeps {@code body}, the gzipped envelope {@code id}, durably before it returns. Returns whether
   * it is kept: false when it cannot be (there is no spool, or it is larger than the whole spool).
   * An id already kept stays as it is.
   *
   * @throws IOException if the spool cannot be written
   */
  boolean add(UUID id, byte[] body) throws IOException;

  /** Forgets envelope {@code id}: acknowledged or refused. Never fails; a lost removal re-sends. */
  void remove(UUID id);

  /** Whether envelope {@code id} is kept (it may have been dropped to make room). */
  boolean contains(UUID id);

  /** The ids of every kept envelope, oldest first. */
  List<UUID> ids();

  /**
   * The gzipped body of envelope {@code id}, if it is kept.
   *
   * @throws IOException if the spool cannot be read
   */
  Optional<byte[]> read(UUID id) throws IOException;

  /** What the spool holds. */
  SpoolStatus status();

  /** Releases the spool; what it holds stays for the next publisher. */
  @Override
  void close();

  /** A spool that keeps nothing, for a publisher without a spool directory. */
  static Spool none() {
    return NoSpool.INSTANCE;
  }

  /** Keeps nothing. */
  enum NoSpool implements Spool {
    INSTANCE;

    @Override
    public boolean add(UUID id, byte[] body) {
      return false;
    }

    @Override
    public void remove(UUID id) {}

    @Override
    public boolean contains(UUID id) {
      return false;
    }

    @Override
    public List<UUID> ids() {
      return List.of();
    }

    @Override
    public Optional<byte[]> read(UUID id) {
      return Optional.empty();
    }

    @Override
    public SpoolStatus status() {
      return new SpoolStatus(0, 0, 0);
    }

    @Override
    public void close() {}
  }
}
