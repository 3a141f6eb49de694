package com.suse.telemetry.bench;

/** A goal the benchmark checks from its measurements alone. */
interface Target {

  /** What is checked, as the report prints it. */
  String description();

  /** Whether {@code measurements} meet the target, and the figure that decided it. */
  Verdict evaluate(Measurements measurements);
}
