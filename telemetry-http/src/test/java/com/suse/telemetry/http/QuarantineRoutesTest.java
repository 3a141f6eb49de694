package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.core.settings.SettingValues;
import com.suse.telemetry.core.spi.StoreUnavailableException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The quarantine's read-only summary on the management API, when the quarantine is on. */
class QuarantineRoutesTest {

  private static final ManagementSettings ANY_PORT =
      ManagementSettings.from(SettingValues.defaults().with(ManagementSettings.PORT, 0));

  private static HttpResponse<String> get(int port, String path) {
    try {
      return TestServer.HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void servesTheSummaryAndSaysWhenItCannotBeRead() {
    AtomicBoolean reachable = new AtomicBoolean(true);
    try (ManagementServer management =
            ManagementServer.startWithQuarantine(
                ANY_PORT,
                () -> "",
                () -> new Health(true, Map.of()),
                Duration.ofSeconds(7),
                Map.of(),
                () -> {
                  if (!reachable.get()) {
                    throw new StoreUnavailableException("down");
                  }
                  return Map.of("entries", 3);
                });
        ManagementServer without =
            ManagementServer.start(
                ANY_PORT,
                () -> "",
                () -> new Health(true, Map.of()),
                Duration.ofSeconds(7),
                Map.of())) {
      HttpResponse<String> up = get(management.port(), "/quarantine");
      reachable.set(false);
      HttpResponse<String> down = get(management.port(), "/quarantine");

      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("{\"entries\":3}");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.headers().firstValue("Retry-After")).contains("7");
      assertThat(get(without.port(), "/quarantine").statusCode()).isEqualTo(404);
    }
  }
}
