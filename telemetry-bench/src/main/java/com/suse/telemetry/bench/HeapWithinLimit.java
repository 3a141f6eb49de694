package com.suse.telemetry.bench;

import java.util.Locale;

/** The collector's heap in use stays within its {@code -Xmx}, and it never runs out of memory. */
record HeapWithinLimit(Heap heap) implements Target {

  @Override
  public String description() {
    return "2x overload: heap within " + heap.jvmOption() + ", no OutOfMemoryError";
  }

  @Override
  public Verdict evaluate(Measurements measurements) {
    Measurements.Footprint footprint = measurements.footprint();
    boolean met = !footprint.outOfMemory() && footprint.peakHeapMib() <= heap.mebibytes();
    return Verdict.of(
        met,
        String.format(Locale.ROOT, "%.0f MiB", footprint.peakHeapMib())
            + (footprint.outOfMemory() ? ", OutOfMemoryError" : ""));
  }
}
