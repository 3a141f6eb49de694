package com.suse.telemetry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Where test services come from, in order: environment variables naming a running service (set by
 * {@code .ci/run}); else Testcontainers when a Docker engine is present; else something started
 * in-process. When {@code TELEMETRY_TEST_REQUIRE_SERVICES=true}, a service not named by the
 * environment fails the test instead of falling back.
 */
public final class TestServices {

  /** Set to {@code true} to fail, not fall back, when the environment names no service. */
  public static final String REQUIRE_SERVICES = "TELEMETRY_TEST_REQUIRE_SERVICES";

  private TestServices() {}

  /** Whether the environment demands real, externally started services. */
  public static boolean servicesRequired() {
    return Boolean.parseBoolean(System.getenv(REQUIRE_SERVICES));
  }

  /** The value of environment variable {@code name}, or null when unset or blank. */
  static String env(String name) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * Whether a Docker engine looks reachable, checked cheaply before asking Testcontainers, which
   * logs at length when there is none.
   */
  static boolean dockerPresent() {
    if (env("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
      return false;
    }
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Fails when services are required and {@code variable} is not set. */
  static void requireConfigured(String variable, String service) {
    if (servicesRequired() && env(variable) == null) {
      throw new IllegalStateException(
          REQUIRE_SERVICES
              + " is true but "
              + variable
              + " is not set: start "
              + service
              + " and name it there (see .ci/run)");
    }
  }

  /** A local TCP port free right now, for a server a test is about to start. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asks {@code process} to stop, and kills it when it has not within {@code grace}. */
  public static void stop(Process process, Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
