package com.suse.telemetry.app;

import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.http.HttpSettings;
import com.suse.telemetry.http.ManagementSettings;
import com.suse.telemetry.storage.postgres.PostgresSettings;
import com.suse.telemetry.testkit.OpenApiContract;
import com.suse.telemetry.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A collector on a free port over a fresh test database, and an HTTP client to talk to it. Every
 * answer the client receives is held against the OpenAPI document when the collector closes.
 */
final class TestCollector implements AutoCloseable {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final OpenApiContract CONTRACT =
      OpenApiContract.fromClasspath("com/suse/telemetry/http/openapi.json");

  final TestPostgres.Database database;
  final Collector collector;
  final OpenApiContract.Recorder exchanges = CONTRACT.recorder();

  TestCollector() {
    this(UnaryOperator.identity());
  }

  /** A collector whose settings are the defaults, on a free port, changed by {@code settings}. */
  TestCollector(UnaryOperator<SettingValues> settings) {
    this(TestPostgres.newDatabase(), settings);
  }

  TestCollector(TestPostgres.Database database, UnaryOperator<SettingValues> settings) {
    this.database = database;
    this.collector = Collector.start(settings(database, settings));
  }

  private TestCollector(Collector collector) {
    this.database = null;
    this.collector = collector;
  }

  /** A client of {@code collector}, which the caller starts and stops. */
  static TestCollector client(Collector collector) {
    return new TestCollector(collector);
  }

  /** The defaults, on a free port and {@code database}, changed by {@code settings}. */
  static Settings settings(TestPostgres.Database database, UnaryOperator<SettingValues> settings) {
    SettingValues values =
        SettingValues.defaults()
            .with(HttpSettings.PORT, 0)
            .with(ManagementSettings.PORT, 0)
            .with(PostgresSettings.URL, database.url())
            .with(PostgresSettings.USER, database.user())
            .with(PostgresSettings.PASSWORD, database.password());
    return Settings.from(settings.apply(values));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + collector.port() + path);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      // The document is the public API's: the management port's answers are not held to it.
      return response.uri().getPort() == collector.port() ? exchanges.record(response) : response;
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

  /** POSTs {@code body} as {@link #post} does, without waiting for the answer. */
  CompletableFuture<HttpResponse<String>> postAsync(String path, byte[] body) {
    return HTTP.sendAsync(
            HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(exchanges::record);
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

  /**
   * Stops the collector, then checks every answer it gave against the OpenAPI document.
   *
   * @throws AssertionError if an answer departs from the document
   */
  @Override
  public void close() {
    collector.close();
    exchanges.assertConforming();
  }
}
