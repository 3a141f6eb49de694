package com.suse.telemetry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Processor time as Linux counts it, in clock ticks since boot: the whole machine's, from {@code
 * /proc/stat}, and one server process's, from {@code /proc/<pid>/stat}. Two readings give the
 * {@link CpuUse} of the time between them.
 *
 * @param busy time any processor was neither idle nor waiting for I/O (stolen time included, which
 *     a shared virtual machine lost to others)
 * @param total all processors' time
 * @param process the server process's user and system time; negative where there is none
 */
record CpuTicks(long busy, long total, long process) {

  static final CpuTicks UNKNOWN = new CpuTicks(0, 0, -1);
  private static final Path MACHINE = Path.of("/proc/stat");

  /** Readings of the machine alone. */
  static Supplier<CpuTicks> machine() {
    return () -> now(-1);
  }

  /** Readings of the machine and of {@code server}'s process. */
  static Supplier<CpuTicks> machineAnd(ServerProcess server) {
    long pid = server.pid();
    return () -> now(pid);
  }

  /** The counters now, of the process {@code pid} too if positive; UNKNOWN where not Linux. */
  static CpuTicks now(long pid) {
    try {
      String machine = Files.readAllLines(MACHINE).get(0);
      String process =
          pid > 0 ? Files.readString(Path.of("/proc", Long.toString(pid), "stat")) : "";
      return parse(machine, process);
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /**
   * Reads {@code machine}, the first line of {@code /proc/stat} ({@code cpu user nice system idle
   * iowait irq softirq steal guest guest_nice}; guest time is already in user time), and {@code
   * process}, a {@code /proc/<pid>/stat} (its user and system time are the 14th and 15th fields,
   * counted across the command's name, which may hold spaces), or "" for none.
   */
  static CpuTicks parse(String machine, String process) {
    String[] fields = machine.trim().split("\\s+");
    if (!fields[0].equals("cpu") || fields.length < 9) {
      return UNKNOWN;
    }
    long total = 0;
    for (int i = 1; i <= 8; i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    long processTicks = -1;
    if (!process.isBlank()) {
      // Fields after the name, which ends with the last ')', start at the 3rd (the state).
      String[] after = process.substring(process.lastIndexOf(')') + 2).trim().split("\\s+");
      processTicks = Long.parseLong(after[14 - 3]) + Long.parseLong(after[15 - 3]);
    }
    return new CpuTicks(total - idle, total, processTicks);
  }

  /** What the processors did between {@code earlier} and this reading. */
  CpuUse since(CpuTicks earlier) {
    long elapsed = total - earlier.total;
    if (this == UNKNOWN || earlier == UNKNOWN || elapsed <= 0) {
      return CpuUse.UNKNOWN;
    }
    double server =
        process < 0 || earlier.process < 0
            ? Double.NaN
            : (double) (process - earlier.process) / elapsed;
    return new CpuUse((double) (busy - earlier.busy) / elapsed, server);
  }
}
