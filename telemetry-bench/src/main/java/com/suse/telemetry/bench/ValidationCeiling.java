package com.suse.telemetry.bench;

import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.ValidationResult;
import com.suse.telemetry.testkit.TestTelemetry;
import java.util.ArrayList;
import java.util.List;

/** K-V: records per second through parse, validate and split, in process, on one thread. */
final class ValidationCeiling {

  private ValidationCeiling() {}

  /** Validates 100-record envelopes for {@code warmup} seconds, then counts for {@code seconds}. */
  static double measure(double warmup, double seconds) {
    TelemetryValidator validator = TestTelemetry.validator();
    Envelopes envelopes = new Envelopes(Plan.REFERENCE_SIZE, 42, 0);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      bodies.add(envelopes.next());
    }
    long measureFrom = System.nanoTime() + (long) (warmup * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    long records = 0;
    for (int i = 0; System.nanoTime() < end; i++) {
      ValidationResult result = validator.validate(bodies.get(i % bodies.size()));
      if (!result.isValid()) {
        throw new IllegalStateException("generated envelope invalid: " + result.violations());
      }
      if (System.nanoTime() >= measureFrom) {
        records += result.submission().records().size();
      }
    }
    return records / seconds;
  }
}
