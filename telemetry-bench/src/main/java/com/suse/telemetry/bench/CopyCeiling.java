package com.suse.telemetry.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * K-COPY: records per second of COPYs of the same kind of records into the same table, on two
 * connections as the collector commits on two. The CSV is made before the clock starts: only the
 * COPY is timed.
 */
final class CopyCeiling {

  private CopyCeiling() {}

  static double measure(BenchmarkDatabase database, Envelopes envelopes, long rows)
      throws SQLException, IOException {
    database.truncate();
    List<String> chunks = BenchmarkDatabase.csvChunks(envelopes, rows);
    long start = System.nanoTime();
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () -> copy(database, chunks.subList(chunks.size() / 2, chunks.size())));
    database.copy(chunks.subList(0, chunks.size() / 2));
    second.join();
    double perSecond = rows / ((System.nanoTime() - start) / 1e9);
    database.truncate();
    return perSecond;
  }

  private static void copy(BenchmarkDatabase database, List<String> chunks) {
    try {
      database.copy(chunks);
    } catch (IOException e) {
      throw new UncheckedIOException("COPY failed", e);
    } catch (SQLException e) {
      throw new IllegalStateException("COPY failed", e);
    }
  }
}
