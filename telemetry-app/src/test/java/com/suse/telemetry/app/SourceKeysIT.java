package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A source key never reaches the log, even at debug level, nor the database in clear. */
class SourceKeysIT {

  @TempDir Path directory;

  @Test
  @Timeout(240)
  void aKeyIsNeverLoggedNorStoredInClear() throws Exception {
    TestPostgres.Database database = TestPostgres.newDatabase();
    Map<String, String> settings = new HashMap<>(CollectorProcess.on(database));
    CollectorProcess.Run created =
        CollectorProcess.run(settings, "keys", "create", "--application", "trento");
    assertThat(created.exitCode()).as(created.output()).isZero();
    List<String> lines = created.output().lines().toList();
    String key = lines.get(lines.size() - 1);
    String secret = key.substring(18);
    assertThat(key).startsWith("tlmk_");

    settings.put("TELEMETRY_AUTH_MODE", "required");
    settings.put("TELEMETRY_DEBUG", "true");
    try (CollectorProcess collector =
        CollectorProcess.serve(settings, directory.resolve("collector.log"))) {
      for (String token : List.of(key, key.replaceAll(".$", "x"), key.toUpperCase())) {
        CollectorProcess.send(
            HttpRequest.newBuilder(collector.uri("/api/v1/telemetry"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        TestTelemetry.hostsEnvelopeJson(1, token.hashCode())
                            .getBytes(StandardCharsets.UTF_8))));
      }
      assertThat(collector.stop()).isZero();
      String log = collector.output();
      assertThat(log).contains("Rejected submission").contains(key.substring(5, 17));
      assertThat(log).doesNotContain(secret).doesNotContain(secret.toUpperCase());
    }
    assertThat(created.output()).contains(key.substring(5, 17));
    try (var connection = database.connect();
        var tables =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM source_key) t")) {
      tables.next();
      assertThat(tables.getString(1)).contains(key.substring(5, 17)).doesNotContain(secret);
    }
  }
}
