package com.suse.telemetry.app;

import com.suse.telemetry.storage.postgres.PostgresReplay;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a replay's progress: on a terminal, a bar redrawn in place; otherwise (a log, a pipe) a
 * line now and then, so that a replay of millions of records says where it is without flooding.
 */
final class ReplayProgress implements PostgresReplay.Listener {

  private static final int BAR_WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final long intervalNanos;
  private final long started = System.nanoTime();
  private long walkedAtStart = -1;
  private long lastShown;
  private boolean drawn;

  private ReplayProgress(PrintWriter out, boolean terminal, Duration interval) {
    this.out = out;
    this.terminal = terminal;
    this.intervalNanos = interval.toNanos();
  }

  /** A bar redrawn on {@code out}, a terminal. */
  static ReplayProgress bar(PrintWriter out) {
    return new ReplayProgress(out, true, Duration.ofMillis(200));
  }

  /** A line on {@code out} at most every {@code interval}, and at the end. */
  static ReplayProgress lines(PrintWriter out, Duration interval) {
    return new ReplayProgress(out, false, interval);
  }

  @Override
  public void progress(PostgresReplay.Progress progress) {
    long now = System.nanoTime();
    if (walkedAtStart < 0) {
      walkedAtStart = progress.walked();
      if (progress.resumed()) {
        out.printf(
            Locale.ROOT,
            "Resuming where the last run stopped: %,d of %,d records walked%n",
            progress.walked(),
            progress.total());
      }
    }
    boolean due = lastShown == 0 || now - lastShown >= intervalNanos;
    if (!due && !progress.finished()) {
      return;
    }
    lastShown = now;
    if (terminal) {
      out.print("\r" + bar(progress, now));
      drawn = true;
    } else {
      out.println(line(progress, now));
    }
    out.flush();
  }

  /** Ends the bar's line, if one was drawn. */
  void end() {
    if (drawn) {
      out.println();
      drawn = false;
    }
    out.flush();
  }

  private String bar(PostgresReplay.Progress progress, long now) {
    double done = fraction(progress);
    int filled = (int) Math.round(done * BAR_WIDTH);
    return String.format(
        Locale.ROOT,
        "[%s%s] %3.0f%% %,d/%,d records, %,d queued%s   ",
        "#".repeat(filled),
        "-".repeat(BAR_WIDTH - filled),
        done * 100,
        progress.walked(),
        progress.total(),
        progress.queued(),
        pace(progress, now));
  }

  private String line(PostgresReplay.Progress progress, long now) {
    return String.format(
        Locale.ROOT,
        "Replayed %,d of %,d records (%.0f%%), %,d queued%s",
        progress.walked(),
        progress.total(),
        fraction(progress) * 100,
        progress.queued(),
        pace(progress, now));
  }

  private static double fraction(PostgresReplay.Progress progress) {
    return progress.total() == 0 || progress.finished()
        ? 1
        : Math.min(1, (double) progress.walked() / progress.total());
  }

  /** Records per second in this run, and the time left at that pace. */
  private String pace(PostgresReplay.Progress progress, long now) {
    double seconds = (now - started) / 1e9;
    long walked = progress.walked() - walkedAtStart;
    if (seconds < 1 || walked <= 0 || progress.finished()) {
      return "";
    }
    double rate = walked / seconds;
    long left = (long) (Math.max(0, progress.total() - progress.walked()) / rate);
    return String.format(
        Locale.ROOT, ", %,.0f/s, about %s left", rate, Duration.ofSeconds(left).toString());
  }
}
