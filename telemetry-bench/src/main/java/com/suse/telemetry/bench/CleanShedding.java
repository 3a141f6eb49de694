package com.suse.telemetry.bench;

/**
 * Under overload the collector answers what it cannot take with 503 or 429 and a Retry-After, never
 * with anything else and never by breaking the connection.
 */
record CleanShedding() implements Target {

  @Override
  public String description() {
    return "2x overload: sheds only with 503/429 + Retry-After";
  }

  @Override
  public Verdict evaluate(Measurements measurements) {
    Tally tally = measurements.overload().result().tally();
    return Verdict.of(tally.improper() == 0, tally.improper() + " others");
  }
}
