package com.suse.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.suse.telemetry.http.AuthSettings;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Source keys in every mode, on both kinds of route, made and revoked through the CLI. */
class SourceKeysTest {

  private static final AtomicLong SEEDS = new AtomicLong();
  private static TestPostgres.Database database;
  private static String trentoKey;
  private static String slesKey;
  private static String revokedKey;

  /** The keys of the test, made by the CLI on a database the collector has not started on. */
  @BeforeAll
  static void makeKeys() {
    database = TestPostgres.newDatabase();
    trentoKey = keys("create", "--application", "trento", "--note", "Trento 2.4 releases");
    slesKey = keys("create", "--application", "sles");
    revokedKey = keys("create", "--application", "trento");
    keys("revoke", revokedKey.substring(5, 17));
  }

  /** Runs {@code keys ...} on the test's database; returns the last line it printed. */
  private static String keys(String... arguments) {
    String[] command = new String[arguments.length + 1];
    command[0] = "keys";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      assertThat(Main.run(CollectorProcess.on(database), command)).isZero();
    } finally {
      System.setOut(out);
    }
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static TestCollector collector(AuthSettings.Mode mode, boolean exemptLegacy) {
    return new TestCollector(
        database,
        values ->
            values
                .with(AuthSettings.MODE, mode)
                .with(AuthSettings.EXEMPT_LEGACY, exemptLegacy)
                .with(AuthSettings.REFRESH, Duration.ofMillis(500)));
  }

  /** What a submission to {@code path} with {@code authorization} (or none) is answered. */
  private static HttpResponse<String> submit(
      TestCollector collector, String path, String authorization) {
    long seed = SEEDS.incrementAndGet();
    byte[] body =
        (path.equals("/api/v1/telemetry")
                ? TestTelemetry.hostsEnvelopeJson(1, seed)
                : TestTelemetry.hostsJson(1, seed))
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(collector.uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return collector.send(request);
  }

  private record Case(String name, String authorization, int envelope, int legacy) {}

  private static List<Case> cases(int noKey, int noKeyLegacy, int other, int invalid) {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("no key", null, noKey, noKeyLegacy));
    cases.add(new Case("valid key", "Bearer " + trentoKey, 202, 202));
    cases.add(new Case("key of another application", "Bearer " + slesKey, other, other));
    cases.add(new Case("revoked key", "Bearer " + revokedKey, invalid, invalid));
    cases.add(
        new Case("unknown key", "Bearer " + trentoKey.replaceAll(".$", "x"), invalid, invalid));
    cases.add(new Case("malformed header", "Basic dHJlbnRvOnRyZW50bw==", invalid, invalid));
    cases.add(new Case("not a key", "Bearer let-me-in", invalid, invalid));
    return cases;
  }

  private static void assertAnswers(TestCollector collector, List<Case> cases) {
    for (Case expected : cases) {
      for (String path : List.of("/api/v1/telemetry", "/api/collect/hosts")) {
        int status = path.startsWith("/api/v1") ? expected.envelope() : expected.legacy();
        HttpResponse<String> answer = submit(collector, path, expected.authorization());
        assertThat(answer.statusCode())
            .as("%s on %s: %s", expected.name(), path, answer.body())
            .isEqualTo(status);
        if (status == 401) {
          assertThat(answer.headers().firstValue("WWW-Authenticate"))
              .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer realm="));
          assertThat(answer.body()).contains("\"status\":401");
        } else if (status == 403) {
          assertThat(answer.headers().firstValue("WWW-Authenticate"))
              .hasValueSatisfying(value -> assertThat(value).contains("insufficient_scope"));
          assertThat(answer.body()).contains("may not publish for application 'trento'");
        }
      }
    }
  }

  @Test
  void offLooksAtNoKey() {
    try (TestCollector collector = collector(AuthSettings.Mode.OFF, false)) {
      assertAnswers(collector, cases(202, 202, 202, 202));
    }
  }

  @Test
  void optionalTakesNoKeyButRefusesABadOne() {
    try (TestCollector collector = collector(AuthSettings.Mode.OPTIONAL, false)) {
      assertAnswers(collector, cases(202, 202, 403, 401));
    }
  }

  @Test
  void requiredRefusesNoKeyOnEveryRouteUnlessTheLegacyOnesAreExempt() {
    try (TestCollector collector = collector(AuthSettings.Mode.REQUIRED, false)) {
      assertAnswers(collector, cases(401, 401, 403, 401));
    }
    try (TestCollector collector = collector(AuthSettings.Mode.REQUIRED, true)) {
      assertAnswers(collector, cases(401, 202, 403, 401));
    }
  }

  @Test
  void aKeyRevokedThroughTheCommandLineIsRefusedByEveryRunningCollectorWithinSeconds() {
    String key = keys("create", "--application", "trento");
    try (TestCollector first = collector(AuthSettings.Mode.REQUIRED, false);
        TestCollector second = collector(AuthSettings.Mode.REQUIRED, false)) {
      assertThat(submit(first, "/api/v1/telemetry", "Bearer " + key).statusCode()).isEqualTo(202);
      assertThat(submit(second, "/api/v1/telemetry", "Bearer " + key).statusCode()).isEqualTo(202);

      assertThat(keys("revoke", key.substring(5, 17))).startsWith("Revoked source key");

      // The documented delay is the refresh interval (500 ms here, 5 s by default).
      for (TestCollector collector : List.of(second, first)) {
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> submit(collector, "/api/v1/telemetry", "Bearer " + key).statusCode() == 401);
      }
    }
  }

  @Test
  void readsTheDatabaseFromAConfigurationFileAsServeDoes(@TempDir Path directory)
      throws IOException {
    Path file = directory.resolve("collector.properties");
    Files.writeString(
        file,
        "db-url = "
            + database.url()
            + "\ndb-user = "
            + database.user()
            + "\ndb-password = "
            + (database.password() == null ? "" : database.password())
            + "\n");

    assertThat(Main.run(Map.of(), "keys", "list", "--config", file.toString())).isZero();
  }

  @Test
  void listsKeysWithTheirApplicationsAndNeverASecret() {
    String listed = String.join("\n", listKeys());

    assertThat(listed).contains(trentoKey.substring(5, 17)).contains("Trento 2.4 releases");
    assertThat(listed).doesNotContain(trentoKey.substring(18)).doesNotContain("tlmk_");
  }

  private static List<String> listKeys() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      assertThat(Main.run(CollectorProcess.on(database), "keys", "list")).isZero();
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void aKeyIsNeverKeptInClear() throws Exception {
    List<String> everything = new ArrayList<>();
    try (var connection = database.connect();
        var rows = connection.createStatement().executeQuery("SELECT s::text FROM source_key s")) {
      while (rows.next()) {
        everything.add(rows.getString(1));
      }
    }
    assertThat(everything).isNotEmpty();
    for (String key : List.of(trentoKey, slesKey, revokedKey)) {
      assertThat(String.join("\n", everything)).doesNotContain(key.substring(18));
    }
  }
}
