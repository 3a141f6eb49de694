package com.suse.telemetry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stores many rows fast, as the collector would have stored them over months: records dated in each
 * given month (so that they land in its partition), as many in each, COPYed on two connections in
 * chunks that are each made just before they are copied.
 */
final class TableFill {

  private static final int STREAMS = 2;
  private static final int CHUNK = 50_000;
  private static final DateTimeFormatter PARTITION =
      DateTimeFormatter.ofPattern("'telemetry_'uuuu'_'MM", Locale.ROOT);

  private TableFill() {}

  /** The name of {@code month}'s partition, as the store makes it. */
  static String partition(YearMonth month) {
    return month.format(PARTITION);
  }

  /** {@code rows} spread evenly over {@code months}, the first months taking any remainder. */
  static List<Long> rowsPerMonth(long rows, int months) {
    List<Long> perMonth = new ArrayList<>(months);
    for (int i = 0; i < months; i++) {
      perMonth.add(rows / months + (i < rows % months ? 1 : 0));
    }
    return perMonth;
  }

  /**
   * COPYs {@code rows} new records into {@code database}, spread evenly over {@code months}: each
   * chunk from a template of its own (seeds from {@code seed}), so that record times vary within a
   * month, and serial numbers from {@code serials} on.
   *
   * @throws IllegalStateException if a month has no partition: its rows would land in the partition
   *     below or above the months, and the table would not have the shape measured
   */
  static void fill(
      BenchmarkDatabase database, List<YearMonth> months, long rows, long seed, long serials)
      throws SQLException, InterruptedException {
    Set<String> partitions = database.partitionNames();
    for (YearMonth month : months) {
      if (!partitions.contains(partition(month))) {
        throw new IllegalStateException(
            "no partition " + partition(month) + " to fill; the table has " + partitions);
      }
    }
    List<Long> perMonth = rowsPerMonth(rows, months.size());
    ExecutorService streams = Executors.newFixedThreadPool(STREAMS);
    try {
      List<Future<?>> copies = new ArrayList<>();
      long chunkIndex = 0;
      for (int i = 0; i < months.size(); i++) {
        YearMonth month = months.get(i);
        for (long done = 0; done < perMonth.get(i); done += CHUNK, chunkIndex++) {
          int size = (int) Math.min(CHUNK, perMonth.get(i) - done);
          Envelopes envelopes =
              new Envelopes(Plan.REFERENCE_SIZE, seed + chunkIndex, serials, month);
          copies.add(streams.submit(() -> copy(database, envelopes, size)));
        }
      }
      for (Future<?> copy : copies) {
        copy.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("filling the table failed", e.getCause());
    } finally {
      streams.shutdownNow();
    }
  }

  private static void copy(BenchmarkDatabase database, Envelopes envelopes, int rows) {
    try {
      database.copy(BenchmarkDatabase.csvChunks(envelopes, rows));
    } catch (IOException e) {
      throw new UncheckedIOException("COPY failed", e);
    } catch (SQLException e) {
      throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
    }
  }
}
