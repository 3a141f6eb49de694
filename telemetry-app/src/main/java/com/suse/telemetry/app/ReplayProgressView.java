package com.suse.telemetry.app;

import com.suse.telemetry.core.quarantine.QuarantineReplay;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows a replay's progress: on a terminal, a bar redrawn in place; otherwise (a log, a pipe) a
 * line now and then.
 */
final class ReplayProgressView implements QuarantineReplay.Progress {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = Duration.ofMillis(100).toNanos();

  private final PrintWriter out;
  private final boolean terminal;
  private final long intervalNanos;
  private long last = System.nanoTime();
  private boolean drawn;

  private ReplayProgressView(PrintWriter out, boolean terminal, Duration lineInterval) {
    this.out = out;
    this.terminal = terminal;
    this.intervalNanos = lineInterval.toNanos();
  }

  /** A bar when {@code terminal}, else a line every {@code lineInterval}. */
  static ReplayProgressView of(PrintWriter out, boolean terminal, Duration lineInterval) {
    return new ReplayProgressView(out, terminal, lineInterval);
  }

  @Override
  public void update(QuarantineReplay.Report report) {
    long now = System.nanoTime();
    boolean finished = report.done() >= report.total();
    if (!finished && now - last < (terminal ? REDRAW_NANOS : intervalNanos)) {
      return;
    }
    last = now;
    if (terminal) {
      long total = Math.max(1, report.total());
      int filled = (int) Math.min(WIDTH, WIDTH * report.done() / total);
      out.print(
          "\rReplaying ["
              + "#".repeat(filled)
              + " ".repeat(WIDTH - filled)
              + "] "
              + report.done() * 100 / total
              + "% "
              + report.done()
              + "/"
              + report.total());
      drawn = true;
    } else if (!finished) {
      out.println(
          "Replayed "
              + report.done()
              + " of "
              + report.total()
              + ": "
              + report.replayed()
              + " now valid, "
              + report.stillInvalid()
              + " still invalid");
    }
    out.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  void finish() {
    if (drawn) {
      out.println();
      out.flush();
    }
  }
}
