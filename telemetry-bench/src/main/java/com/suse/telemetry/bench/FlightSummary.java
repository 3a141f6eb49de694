package com.suse.telemetry.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a collector's time went, from its flight recording ({@code --profile}): its threads'
 * processor samples by the library they were in, and its garbage collector's pauses. A sample
 * counts for the first frame from the top of its stack that is not the JDK's own, so time in the
 * JDK is charged to whoever called it (a {@code StringBuilder} growing inside pgjdbc is pgjdbc's).
 *
 * @param recorded from the first event to the last
 * @param samples every processor sample of a Java thread
 * @param byPart samples by the part of the collector (or library) they were charged to
 * @param byMethod samples by the method on top of the stack
 * @param pauses garbage collections that paused the application
 * @param paused all those pauses together
 * @param longestPause the longest of them
 */
record FlightSummary(
    Duration recorded,
    long samples,
    Map<String, Long> byPart,
    Map<String, Long> byMethod,
    long pauses,
    Duration paused,
    Duration longestPause) {

  private static final String JDK = "the JDK alone";

  /** Class name prefixes, and the part of the collector they stand for; the first match wins. */
  private static final List<Map.Entry<String, String>> PARTS =
      List.of(
          Map.entry("com.suse.telemetry.", "the collector's own code"),
          Map.entry("org.postgresql.", "pgjdbc, PostgreSQL's driver"),
          Map.entry("com.zaxxer.hikari.", "HikariCP, the connection pool"),
          Map.entry("org.jdbi.", "Jdbi"),
          Map.entry("com.networknt.", "JSON Schema validation (networknt)"),
          Map.entry("tools.jackson.", "JSON parsing and writing (Jackson)"),
          Map.entry("org.eclipse.jetty.", "HTTP (Jetty)"),
          Map.entry("io.javalin.", "HTTP (Javalin)"),
          Map.entry("com.netflix.concurrency.", "admission (concurrency-limits)"),
          Map.entry("io.micrometer.", "metrics (Micrometer)"),
          Map.entry("java.", JDK),
          Map.entry("javax.", JDK),
          Map.entry("jdk.", JDK),
          Map.entry("sun.", JDK),
          Map.entry("com.sun.", JDK));

  FlightSummary {
    byPart = Map.copyOf(byPart);
    byMethod = Map.copyOf(byMethod);
  }

  /** Reads the recording in {@code file}. */
  static FlightSummary of(Path file) throws IOException {
    Map<String, Long> byPart = new HashMap<>();
    Map<String, Long> byMethod = new HashMap<>();
    long samples = 0;
    long pauses = 0;
    Duration paused = Duration.ZERO;
    Duration longest = Duration.ZERO;
    Instant first = null;
    Instant last = null;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        Instant end = event.getEndTime();
        first =
            first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
        last = last == null || end.isAfter(last) ? end : last;
        switch (event.getEventType().getName()) {
          case "jdk.ExecutionSample" -> {
            RecordedStackTrace stack = event.getStackTrace();
            if (stack != null && !stack.getFrames().isEmpty()) {
              samples++;
              byPart.merge(partOf(stack.getFrames()), 1L, Long::sum);
              byMethod.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
            }
          }
          case "jdk.GarbageCollection" -> {
            Duration pause = event.getDuration("sumOfPauses");
            if (!pause.isZero() && !pause.isNegative()) {
              pauses++;
              paused = paused.plus(pause);
              Duration longestOfIt = event.getDuration("longestPause");
              longest = longestOfIt.compareTo(longest) > 0 ? longestOfIt : longest;
            }
          }
          default -> {}
        }
      }
    }
    Duration recorded = first == null ? Duration.ZERO : Duration.between(first, last);
    return new FlightSummary(recorded, samples, byPart, byMethod, pauses, paused, longest);
  }

  /** The part the first frame from the top that is not the JDK's belongs to. */
  static String partOf(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String part = part(frame.getMethod().getType().getName());
      if (!part.equals(JDK)) {
        return part;
      }
    }
    return JDK;
  }

  /** The part {@code className} belongs to. */
  static String part(String className) {
    for (Map.Entry<String, String> prefix : PARTS) {
      if (className.startsWith(prefix.getKey())) {
        return prefix.getValue();
      }
    }
    return "other libraries";
  }

  private static String name(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }

  /** The summary as lines of text: the parts, the busiest methods, the pauses. */
  List<String> lines(int methods) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "  %d processor samples of its threads over %.0f s, by where they were:",
            samples,
            recorded.toMillis() / 1e3));
    byPart.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .forEach(part -> lines.add(share(part.getValue(), part.getKey())));
    lines.add("  busiest methods (on top of the stack):");
    byMethod.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(methods)
        .forEach(method -> lines.add(share(method.getValue(), method.getKey())));
    lines.add(
        String.format(
            Locale.ROOT,
            "  garbage collection: %d pauses, %.1f s in all (%.1f%% of the time), the longest %.0f"
                + " ms",
            pauses,
            paused.toMillis() / 1e3,
            recorded.isZero() ? 0 : 100.0 * paused.toNanos() / recorded.toNanos(),
            longestPause.toNanos() / 1e6));
    return lines;
  }

  private String share(long count, String what) {
    return String.format(Locale.ROOT, "    %5.1f%%  %s", 100.0 * count / samples, what);
  }
}
