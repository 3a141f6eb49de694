package com.suse.telemetry.app;

import static java.util.regex.Matcher.quoteReplacement;
import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a client sends can forge, recolour or flood the collector's log: what comes from a client
 * is escaped and cut, client-caused conditions leave no stack trace, and a rejected submission
 * leaves exactly one line.
 */
class LogHygieneIT {

  /** The longest line the log may have: a few client-given parts, each cut to 200 characters. */
  private static final int LONGEST_LINE = 1200;

  @TempDir Path directory;

  @Test
  @Timeout(300)
  void hostileNamesAndValuesNeitherForgeNorFloodTheLog() throws IOException {
    List<String> hostileKeys =
        List.of(
            "evil\n[ERROR] forged line",
            "carriage\rreturn",
            "ansi\u001b[31mred\u001b[0m",
            "bell\u0007and\u009bcsi",
            "bidi\u202eoverride",
            "k".repeat(100_000));
    Map<String, String> settings = new HashMap<>(CollectorProcess.on(TestPostgres.newDatabase()));
    settings.put("TELEMETRY_CLIENT_RATE", "0");
    int rejected = 0;
    try (CollectorProcess collector =
        CollectorProcess.serve(settings, directory.resolve("collector.log"))) {
      String host = TestTelemetry.hostsJson(1, 1);
      for (String key : hostileKeys) {
        // An envelope takes no property it does not know; a host's agent id must be a UUID.
        String envelope =
            envelope("trento", host).replaceFirst("\\{", quoteReplacement("{" + json(key) + ":1,"));
        String hosts =
            host.replaceFirst(
                "\"agent_id\":\"[^\"]*\"", quoteReplacement("\"agent_id\":" + json(key)));
        assertThat(post(collector, "/api/v1/telemetry", envelope).statusCode()).isEqualTo(400);
        assertThat(post(collector, "/api/collect/hosts", hosts).statusCode()).isEqualTo(400);
        rejected += 2;
      }
      for (String value : List.of("x\n[ERROR] forged value", "\u001b]0;title\u0007", "1e400")) {
        String payload =
            host.replaceFirst(
                    "\"cpu_count\":[0-9]+", quoteReplacement("\"cpu_count\":" + json(value)))
                .replace("\"1e400\"", "1e400");
        assertThat(post(collector, "/api/v1/telemetry", envelope("trento", payload)).statusCode())
            .isEqualTo(400);
        rejected++;
      }
      assertThat(
              post(collector, "/api/v1/telemetry", envelope("no\n[ERROR] such app", "[]"))
                  .statusCode())
          .isEqualTo(400);
      rejected++;
      assertThat(
              post(collector, "/api/v1/telemetry", "{\"a\":1,\"a\":2,\"\u0000\":[[[").statusCode())
          .isEqualTo(400);
      rejected++;
      assertThat(postRaw(collector, "application/json\u001b[31m; forged=\u0007"))
          .as("a media type with control characters, refused by the HTTP parser itself")
          .isEqualTo(400);
      assertThat(postRaw(collector, "text/plain; x=\u009b31m\u00ff"))
          .as("a media type with 8-bit characters (an 8-bit CSI among them)")
          .isEqualTo(415);
      rejected++;
      for (int i = 0; i < 1000; i++) {
        assertThat(
                collector
                    .get("/api/v1/telemetry-types/no_such_app_" + i + "/%0A%1B%5B31m/v" + i)
                    .statusCode())
            .isEqualTo(404);
      }
      assertThat(collector.stop()).isZero();

      String log = collector.output();
      assertThat(log.chars().filter(c -> Character.isISOControl(c) && c != '\n'))
          .as("raw control characters in the log")
          .isEmpty();
      assertThat(log.lines())
          .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(LONGEST_LINE));
      assertThat(log.lines()).noneMatch(line -> line.startsWith("[ERROR] forged"));
      assertThat(log).doesNotContain("Exception").doesNotContain("\tat ").contains("\\n[ERROR]");
      assertThat(log.lines().filter(line -> line.contains("Rejected submission")))
          .hasSize(rejected);
      assertThat(
              log.lines().filter(line -> line.contains("[ERROR]") && !line.contains("\\n[ERROR]")))
          .isEmpty();
    }
  }

  private static String envelope(String application, String payload) {
    return "{\"application\":"
        + json(application)
        + ",\"telemetry_type\":\"host_telemetry\",\"time\":\"2024-05-17T10:00:00Z\",\"payload\":"
        + payload
        + "}";
  }

  private static HttpResponse<String> post(CollectorProcess collector, String path, String body) {
    return collector.post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A POST whose Content-Type holds control characters, which no HTTP client library sends. */
  private static int postRaw(CollectorProcess collector, String contentType) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", collector.port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/telemetry HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
                  + contentType
                  + "\r\nContent-Length: 2\r\n\r\n{}")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String status =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1)
              .lines()
              .findFirst()
              .orElse("");
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  /** {@code text} as a JSON string, every control character escaped as JSON requires. */
  private static String json(String text) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
