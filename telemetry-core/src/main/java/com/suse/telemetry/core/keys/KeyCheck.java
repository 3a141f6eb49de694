package com.suse.telemetry.core.keys;

/**
 * What a request's {@code Authorization} header said about its key.
 *
 * @param outcome the verdict
 * @param id the key's id as the token gave it, or null when it gave none
 * @param key the key, when the token is one of the keys (valid or revoked)
 */
public record KeyCheck(Outcome outcome, String id, SourceKey key) {

  /** No header. */
  public static final KeyCheck ABSENT = new KeyCheck(Outcome.ABSENT, null, null);

  /** A header that is no {@code Bearer} token of a key's form. */
  public static final KeyCheck MALFORMED = new KeyCheck(Outcome.MALFORMED, null, null);

  /** The keys are not read yet (the collector is starting): nothing can be said. */
  public static final KeyCheck NOT_READY = new KeyCheck(Outcome.NOT_READY, null, null);

  /** The verdicts. */
  public enum Outcome {
    /** The keys are not read yet. */
    NOT_READY,
    /** No key sent. */
    ABSENT,
    /** Not a bearer token of a key's form. */
    MALFORMED,
    /** No such key, or the wrong secret. */
    UNKNOWN,
    /** A key that was revoked. */
    REVOKED,
    /** A valid key. */
    VALID
  }

  static KeyCheck unknown(String id) {
    return new KeyCheck(Outcome.UNKNOWN, id, null);
  }

  static KeyCheck revoked(SourceKey key) {
    return new KeyCheck(Outcome.REVOKED, key.id(), key);
  }

  static KeyCheck valid(SourceKey key) {
    return new KeyCheck(Outcome.VALID, key.id(), key);
  }
}
