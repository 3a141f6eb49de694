package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published telemetry type version never changes: {@code schemas/published.lock} holds the
 * content hash of each, and this test refuses an edit, a version missing from the lock, and a
 * removal.
 */
class PublishedSchemasTest {

  @TempDir Path copy;

  @Test
  void everyPublishedVersionIsLockedAndUnchanged() {
    SchemaLock lock = SchemaLock.read(SchemaFiles.ROOT);

    assertThat(lock.exists()).isTrue();
    assertThat(lock.problems(SchemaFiles.ROOT))
        .as("schemas/%s against schemas/", SchemaLock.FILE_NAME)
        .isEmpty();
  }

  /** The repository's schemas and lock, copied so that a test can change them. */
  private Path copyOfSchemas() throws IOException {
    try (Stream<Path> files = Files.walk(SchemaFiles.ROOT)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(SchemaFiles.ROOT.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return copy;
  }

  @Test
  void refusesAnEditToAPublishedVersionAndSaysToAddTheNextOne() throws IOException {
    Path root = copyOfSchemas();
    Path v1 = root.resolve("sles/system_profile/v1.schema.json");
    Files.writeString(v1, Files.readString(v1).replace("\"maxItems\": 100", "\"maxItems\": 50"));

    assertThat(SchemaLock.read(root).problems(root))
        .singleElement()
        .asString()
        .contains("sles/system_profile/v1.schema.json is published and must not change")
        .contains("add v2.schema.json beside it instead");
  }

  @Test
  void ignoresWhitespaceAndKeyOrderButNotContent() throws IOException {
    Path root = copyOfSchemas();
    Path v1 = root.resolve("trento/host_telemetry/v1.schema.json");
    Files.writeString(v1, Files.readString(v1).replace("\n", "\r\n  "));

    assertThat(SchemaLock.read(root).problems(root)).isEmpty();
  }

  @Test
  void refusesANewVersionMissingFromTheLockNamingTheLineToAdd() throws IOException {
    Path root = copyOfSchemas();
    Path v2 = root.resolve("sles/system_profile/v2.schema.json");
    Files.writeString(
        v2,
        Files.readString(root.resolve("sles/system_profile/v1.schema.json"))
            .replace("/v1.schema.json", "/v2.schema.json"));
    Files.delete(root.resolve("trento/host_telemetry/v1.schema.json"));

    List<String> problems = SchemaLock.read(root).problems(root);

    assertThat(problems)
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains("sles/system_profile/v2.schema.json is not in published.lock")
                    .contains("add the line 'sles/system_profile/v2 " + SchemaLock.hash(v2) + "'"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains("trento/host_telemetry/v1, whose schema is gone")
                    .contains("never removed"));
  }
}
