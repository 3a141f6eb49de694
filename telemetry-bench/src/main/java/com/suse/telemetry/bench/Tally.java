package com.suse.telemetry.bench;

/** How many requests of a load run ended in each {@link Outcome}. */
record Tally(long accepted, long shed, long shedWithoutRetryAfter, long other) {

  static final Tally NONE = new Tally(0, 0, 0, 0);

  static Tally of(long[] countsByOutcome) {
    return new Tally(
        countsByOutcome[Outcome.ACCEPTED.ordinal()],
        countsByOutcome[Outcome.SHED.ordinal()],
        countsByOutcome[Outcome.SHED_WITHOUT_RETRY_AFTER.ordinal()],
        countsByOutcome[Outcome.OTHER.ordinal()]);
  }

  Tally plus(Tally more) {
    return new Tally(
        accepted + more.accepted,
        shed + more.shed,
        shedWithoutRetryAfter + more.shedWithoutRetryAfter,
        other + more.other);
  }

  long total() {
    return accepted + shed + shedWithoutRetryAfter + other;
  }

  /** Answers that are neither a success nor shedding as sources expect it. */
  long improper() {
    return shedWithoutRetryAfter + other;
  }
}
