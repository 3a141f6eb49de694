package com.suse.telemetry.bench;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * A figure that must reach a minimum or stay under a maximum; a figure the run did not measure
 * makes the target not applicable.
 */
record Threshold(
    String description,
    Function<Measurements, OptionalDouble> figure,
    boolean atLeast,
    double limit,
    String format)
    implements Target {

  /** {@code figure} must be at least {@code minimum}; shown with {@code format}. */
  static Threshold atLeast(
      String description,
      double minimum,
      String format,
      Function<Measurements, OptionalDouble> figure) {
    return new Threshold(description, figure, true, minimum, format);
  }

  /** {@code figure} must be at most {@code maximum}; shown with {@code format}. */
  static Threshold atMost(
      String description,
      double maximum,
      String format,
      Function<Measurements, OptionalDouble> figure) {
    return new Threshold(description, figure, false, maximum, format);
  }

  @Override
  public Verdict evaluate(Measurements measurements) {
    OptionalDouble value = figure.apply(measurements);
    if (value.isEmpty()) {
      return Verdict.notApplicable("not measured");
    }
    double measured = value.getAsDouble();
    // NaN (no samples) meets no limit.
    boolean met = atLeast ? measured >= limit : measured <= limit;
    return Verdict.of(met, String.format(Locale.ROOT, format, measured));
  }
}
