package com.suse.telemetry.http;

import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import com.suse.telemetry.core.TelemetryValidator;
import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import com.suse.telemetry.core.quarantine.RejectedSubmission;
import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.core.spi.TelemetryStore;
import com.suse.telemetry.testkit.OpenApiContract;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The HTTP API on a free port, over the core's in-memory store (or another store a test gives), and
 * a client to talk to it. Every answer the client receives is held against the OpenAPI document
 * when the server closes.
 */
final class TestServer implements AutoCloseable {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final TelemetryValidator VALIDATOR =
      TelemetryValidator.create(TelemetryTypeRegistry.bundled());
  static final OpenApiContract CONTRACT = OpenApiContract.fromClasspath(OpenApiRoutes.DOCUMENT);

  final InMemoryTelemetryStore memory = InMemoryTelemetryStore.create();
  final OpenApiContract.Recorder exchanges = CONTRACT.recorder();
  volatile Health health = new Health(true, Map.of("postgres", "UP"));
  final CollectorHttpServer server;

  TestServer() {
    this(UnaryOperator.identity());
  }

  /** A server whose settings are the defaults, on a free port, changed by {@code settings}. */
  TestServer(UnaryOperator<SettingValues> settings) {
    this(settings, null);
  }

  TestServer(UnaryOperator<SettingValues> settings, TelemetryStore store) {
    this(settings, store, rejected -> {});
  }

  /** A server handing what it rejects by validation to {@code quarantine}. */
  TestServer(
      UnaryOperator<SettingValues> settings,
      TelemetryStore store,
      Consumer<RejectedSubmission> quarantine) {
    HttpSettings http =
        HttpSettings.from(settings.apply(SettingValues.defaults().with(HttpSettings.PORT, 0)));
    server =
        CollectorHttpServer.start(
            http,
            IngestionService.create(VALIDATOR, store == null ? memory : store),
            () -> health,
            new CompositeMeterRegistry(),
            null,
            quarantine);
  }

  int port() {
    return server.port();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return exchanges.record(
          HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString()));
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

  HttpResponse<String> post(String path, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  /**
   * Stops the server, then checks every answer it gave against the OpenAPI document.
   *
   * @throws AssertionError if an answer departs from the document
   */
  @Override
  public void close() {
    server.close();
    exchanges.assertConforming();
  }
}
