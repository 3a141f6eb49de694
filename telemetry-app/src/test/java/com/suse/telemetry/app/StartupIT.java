package com.suse.telemetry.app;

import static com.suse.telemetry.app.CollectorProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.suse.telemetry.app.CollectorProcess.Run;
import com.suse.telemetry.testkit.TestPostgres;
import com.suse.telemetry.testkit.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every way start-up can fail that an operator can cause ends with one line that says what to fix,
 * and an exit code: 2 for a setting, 1 for anything else. Never a stack trace.
 */
class StartupIT {

  private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase();

  private static Map<String, String> database(String... overrides) {
    Map<String, String> environment = new HashMap<>(CollectorProcess.on(DATABASE));
    for (int i = 0; i < overrides.length; i += 2) {
      environment.put(overrides[i], overrides[i + 1]);
    }
    return environment;
  }

  private static void assertOneLineWithoutStackTrace(Run run, String expected) {
    assertThat(run.output()).as(run.output()).contains(expected);
    assertThat(run.output().lines().filter(line -> line.contains(expected))).hasSize(1);
    assertThat(run.output())
        .doesNotContain("\tat ")
        .doesNotContain("Exception:")
        .doesNotContain("Caused by");
  }

  @Test
  @Timeout(120)
  void aPortInUseExitsTwoNamingTheSetting() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      Run run = run(database(), "serve", "--http-port", Integer.toString(taken.getLocalPort()));

      assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
      assertOneLineWithoutStackTrace(
          run, "Invalid configuration: TELEMETRY_HTTP_PORT (--http-port) names a port");
    }
  }

  @Test
  @Timeout(120)
  void anAddressNotOfThisMachineExitsTwoNamingTheSetting() {
    Run run =
        run(
            database("TELEMETRY_HTTP_HOST", "192.0.2.1"),
            "serve",
            "--http-port",
            "0",
            "--management-port",
            "0");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
    assertOneLineWithoutStackTrace(
        run, "Invalid configuration: TELEMETRY_HTTP_HOST (--http-host) must be an address");
  }

  @Test
  @Timeout(120)
  void aWrongPasswordExitsOneAtOnce() {
    assumeTrue(
        refusesWrongPasswords(), "the test PostgreSQL trusts every login (embedded fallback)");
    Run run =
        run(
            database("TELEMETRY_DB_PASSWORD", "not-the-password"),
            "serve",
            "--http-port",
            "0",
            "--management-port",
            "0");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertOneLineWithoutStackTrace(run, "Cannot start the collector: cannot migrate the database");
    assertThat(run.output()).doesNotContain("not-the-password").doesNotContain("Waiting for");
  }

  private static boolean refusesWrongPasswords() {
    try (Connection connection =
        DriverManager.getConnection(DATABASE.url(), DATABASE.user(), "not-the-password")) {
      return !connection.isValid(1);
    } catch (SQLException refused) {
      return true;
    }
  }

  @Test
  @Timeout(120)
  void aMissingDatabaseExitsOneAtOnce() {
    String missing = DATABASE.url().replaceFirst("/telemetry_test_[a-z0-9]+", "/no_such_database");
    Run run =
        run(
            database("TELEMETRY_DB_URL", missing),
            "serve",
            "--http-port",
            "0",
            "--management-port",
            "0");

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertOneLineWithoutStackTrace(run, "Cannot start the collector: cannot migrate the database");
    assertThat(run.output()).contains("no_such_database");
  }

  @Test
  @Timeout(120)
  void anUnreachablePostgresIsWaitedForUpToTheTimeoutThenExitsOne() {
    int nobody = TestServices.freePort();
    long start = System.nanoTime();
    Run run =
        run(
            database(
                "TELEMETRY_DB_URL",
                "jdbc:postgresql://127.0.0.1:" + nobody + "/telemetry",
                "TELEMETRY_STARTUP_TIMEOUT",
                "4s"),
            "serve",
            "--http-port",
            "0",
            "--management-port",
            "0");
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(seconds).isGreaterThanOrEqualTo(4);
    assertThat(run.output()).contains("Waiting for PostgreSQL (attempt 1, 0 s of 4 s)");
    assertThat(run.output()).contains("Waiting for PostgreSQL (attempt 3");
    assertOneLineWithoutStackTrace(
        run, "Cannot start the collector: PostgreSQL did not answer within 4 s");
  }
}
