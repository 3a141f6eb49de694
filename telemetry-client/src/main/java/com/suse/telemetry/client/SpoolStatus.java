package com.suse.telemetry.client;

/**
 * What a publisher's spool holds: envelopes written to disk and not yet acknowledged or refused.
 * All zero for a publisher without a spool.
 *
 * @param envelopes envelopes in the spool
 * @param bytes bytes the spool's files take on disk
 * @param droppedEnvelopes envelopes dropped since the spool was opened to make room for newer ones,
 *     because the spool had reached its size bound
 */
public record SpoolStatus(int envelopes, long bytes, long droppedEnvelopes) {

  /** Checks that no count is negative. */
  public SpoolStatus {
    if (envelopes < 0 || bytes < 0 || droppedEnvelopes < 0) {
      throw new IllegalArgumentException(
          "negative count in " + envelopes + ", " + bytes + ", " + droppedEnvelopes);
    }
  }
}
