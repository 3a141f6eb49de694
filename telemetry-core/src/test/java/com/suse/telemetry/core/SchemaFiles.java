package com.suse.telemetry.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's schemas directory and its example files, as tests see them. */
final class SchemaFiles {

  static final Path ROOT = Path.of("..", "schemas").toAbsolutePath().normalize();

  private SchemaFiles() {}

  static byte[] example(String relativePath) {
    try {
      return Files.readAllBytes(ROOT.resolve(relativePath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The original design document's envelope: two Trento hosts. */
  static byte[] designDocumentEnvelope() {
    return example("examples/envelope/valid/design-document-example.json");
  }
}
