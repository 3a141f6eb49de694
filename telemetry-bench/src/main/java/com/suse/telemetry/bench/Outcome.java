package com.suse.telemetry.bench;

/** What became of one request sent by the load generator. */
enum Outcome {
  /** Stored: 202 from the collector, a commit for K-COMMIT. */
  ACCEPTED,
  /** Shed as a source expects it: 503 or 429, with Retry-After. */
  SHED,
  /** 503 or 429 without Retry-After: a source would not know when to come back. */
  SHED_WITHOUT_RETRY_AFTER,
  /** Any other answer, a broken connection or a failed transaction. */
  OTHER;

  /** The outcome of an HTTP answer: 503 and 429 both shed load, and both owe a Retry-After. */
  static Outcome ofHttp(int status, boolean retryAfter) {
    return switch (status) {
      case 202 -> ACCEPTED;
      case 503, 429 -> retryAfter ? SHED : SHED_WITHOUT_RETRY_AFTER;
      default -> OTHER;
    };
  }
}
