package com.suse.telemetry.bench;

/**
 * Whether a target was met, with the figure that decided it.
 *
 * @param status met, missed, or not applicable to this run
 * @param measured the figure, or why the target does not apply
 */
record Verdict(Status status, String measured) {

  enum Status {
    PASS("PASS"),
    FAIL("FAIL"),
    /** Not measured in this run, or its condition does not hold. */
    NOT_APPLICABLE("n/a");

    final String label;

    Status(String label) {
      this.label = label;
    }
  }

  static Verdict of(boolean met, String measured) {
    return new Verdict(met ? Status.PASS : Status.FAIL, measured);
  }

  static Verdict notApplicable(String why) {
    return new Verdict(Status.NOT_APPLICABLE, why);
  }
}
