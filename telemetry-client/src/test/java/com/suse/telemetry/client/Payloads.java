package com.suse.telemetry.client;

import com.suse.telemetry.core.TelemetryTypeRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Telemetry for tests, from the repository's schemas and examples. */
final class Payloads {

  /** The bundled telemetry types, compiled once for all tests: compiling takes a while. */
  static final TelemetryTypeRegistry REGISTRY = TelemetryTypeRegistry.bundled();

  /** The repository's schemas directory. */
  static final Path SCHEMAS = Path.of("..", "schemas");

  private Payloads() {}

  /** A valid {@code sles/system_profile} v1 payload for a system of its own. */
  static String profile() {
    return profile(0);
  }

  /**
   * A valid {@code sles/system_profile} v1 payload for a system of its own, listing {@code modules}
   * more installed modules with random names: they make the payload longer, even gzipped.
   */
  static String profile(int modules) {
    StringBuilder installed = new StringBuilder("\"sle-module-basesystem\"");
    for (int i = 0; i < modules; i++) {
      installed.append(",\"sle-module-").append(UUID.randomUUID()).append('"');
    }
    return """
        {"system_id": "%s", "product": "SLES", "product_version": "15.6", "arch": "x86_64",
         "cpu_count": 32, "memory_mb": 262144, "hypervisor": null, "cloud_provider": null,
         "installed_modules": [%s], "collected_on": "2024-05-17"}"""
        .formatted(UUID.randomUUID(), installed);
  }

  /** A file of the repository's schemas directory. */
  static byte[] schemaFile(String path) {
    try {
      return Files.readAllBytes(SCHEMAS.resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
