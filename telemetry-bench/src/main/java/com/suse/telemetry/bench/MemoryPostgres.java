package com.suse.telemetry.bench;

import com.suse.telemetry.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/**
 * A PostgreSQL whose data directory is in memory (on a tmpfs such as {@code /dev/shm}): the same
 * database work as on disk, with no disk under it. Committed as on the shared server ({@code
 * synchronous_commit} on, fsync on), where a flush to tmpfs costs nothing.
 */
final class MemoryPostgres implements AutoCloseable {

  private final TestPostgres.DedicatedServer server;
  private final BenchmarkDatabase database;
  private final String description;

  private MemoryPostgres(
      TestPostgres.DedicatedServer server, BenchmarkDatabase database, String description) {
    this.server = server;
    this.database = database;
    this.description = description;
  }

  /** Starts one with its data in a new directory under {@code directory}. */
  static MemoryPostgres start(Path directory) throws IOException, SQLException {
    String fileSystem = Files.getFileStore(directory).type();
    // Both are off in an embedded server, and on in PostgreSQL's defaults and the shared server.
    TestPostgres.DedicatedServer server =
        TestPostgres.startDedicated(directory, Map.of("fsync", "on", "synchronous_commit", "on"));
    try {
      BenchmarkDatabase database = BenchmarkDatabase.of(server.newDatabase());
      return new MemoryPostgres(
          server, database, database.describe("data on " + fileSystem + " in " + directory));
    } catch (SQLException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  BenchmarkDatabase database() {
    return database;
  }

  /** Its version, where its data is, and its fsync and synchronous_commit. */
  String description() {
    return description;
  }

  /** Stops the server and deletes its data. */
  @Override
  public void close() {
    server.close();
  }
}
