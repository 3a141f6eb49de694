package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.IngestionService;
import com.suse.telemetry.core.memory.InMemoryTelemetryStore;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The quarantine's read-only summary: served only when asked for, and only on this machine. */
class QuarantineRoutesTest {

  @Test
  void servesTheSummaryToThisMachineOnlyAndOnlyWhenAskedFor() {
    AtomicBoolean reachable = new AtomicBoolean(true);
    try (CollectorHttpServer server =
            CollectorHttpServer.startWithQuarantineSummary(
                HttpSettings.defaults(0),
                IngestionService.create(TestServer.VALIDATOR, InMemoryTelemetryStore.create()),
                () -> new Health(true, Map.of()),
                rejected -> {},
                () -> {
                  if (!reachable.get()) {
                    throw new StoreUnavailableException("down");
                  }
                  return Map.of("entries", 3);
                });
        TestServer without = new TestServer()) {
      String url = "http://127.0.0.1:" + server.port() + "/api/v1/quarantine";

      HttpResponse<String> local = send(HttpRequest.newBuilder(URI.create(url)));
      HttpResponse<String> proxied =
          send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", "198.51.100.7"));
      reachable.set(false);
      HttpResponse<String> down = send(HttpRequest.newBuilder(URI.create(url)));

      assertThat(local.statusCode()).isEqualTo(200);
      assertThat(local.body()).isEqualTo("{\"entries\":3}");
      assertThat(proxied.statusCode()).isEqualTo(403);
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(without.get("/api/v1/quarantine").statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return TestServer.HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
