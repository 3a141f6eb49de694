package com.suse.telemetry.app;

import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** A collector on a free port over a fresh test database, and an HTTP client to talk to it. */
final class TestCollector implements AutoCloseable {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final TestPostgres.Database database;
  final Collector collector;

  TestCollector() {
    this(HttpSettings.defaults(0));
  }

  TestCollector(HttpSettings http) {
    this(TestPostgres.newDatabase(), http);
  }

  TestCollector(TestPostgres.Database database, HttpSettings http) {
    this.database = database;
    this.collector =
        Collector.start(
            new Settings(
                http,
                PostgresSettings.of(database.url(), database.user(), database.password()),
                null,
                List.of(),
                Path.of("unused"),
                false));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + collector.port() + path);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** POSTs {@code body} as Trento does: with only {@code Content-Type: application/json}. */
  HttpResponse<String> post(String path, byte[] body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  long rows() {
    try (Connection connection = database.connect();
        ResultSet count =
            connection.createStatement().executeQuery("SELECT count(*) FROM telemetry")) {
      count.next();
      return count.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    collector.close();
  }
}
