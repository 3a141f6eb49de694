package com.suse.telemetry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine's processors are, from Linux's {@code /proc/stat}: the whole machine, every
 * process on it (the servers, PostgreSQL, the load generator, and whatever else shares it), as
 * the scheduler counts it. Where latency grows with the load, this is the ceiling that explains
 * it: waiting grows steeply as the processors near full use.
 *
 * @param busy time any processor was neither idle nor waiting for I/O (stolen time included, which
 *     a shared virtual machine lost to others), in clock ticks since boot
 * @param total all processors' time, in the same ticks
 */
record MachineCpu(long busy, long total) {

  private static final Path STAT = Path.of("/proc/stat");
  static final MachineCpu UNKNOWN = new MachineCpu(0, 0);

  /** The counters now; {@link #UNKNOWN} where {@code /proc/stat} cannot be read. */
  static MachineCpu now() {
    try (var lines = Files.lines(STAT)) {
      return lines.findFirst().map(MachineCpu::parse).orElse(UNKNOWN);
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * Reads the first line of {@code /proc/stat}: {@code cpu user nice system idle iowait irq
   * softirq steal ...} (guest time is already counted in user time).
   */
  static MachineCpu parse(String line) {
    String[] fields = line.trim().split("\\s+");
    if (!fields[0].equals("cpu") || fields.length < 9) {
      return UNKNOWN;
    }
    long total = 0;
    for (int i = 1; i <= 8; i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new MachineCpu(total - idle, total);
  }

  /** The fraction of all processors' time that was busy since {@code earlier}; NaN if unknown. */
  double busySince(MachineCpu earlier) {
    long elapsed = total - earlier.total;
    if (this == UNKNOWN || earlier == UNKNOWN || elapsed <= 0) {
      return Double.NaN;
    }
    return (double) (busy - earlier.busy) / elapsed;
  }
}
