package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks every file under {@code schemas/}: each schema compiles (building the registry compiles
 * them all), every telemetry type version has valid and invalid examples, every valid example is
 * accepted and every invalid one rejected. Adding a type needs no change here.
 */
class SchemaConformanceTest {

  private static final TelemetryTypeRegistry REGISTRY =
      TelemetryTypeRegistry.builder().withoutBundledTypes().addDirectory(SchemaFiles.ROOT).build();
  private static final TelemetryValidator VALIDATOR = TelemetryValidator.create(REGISTRY);

  @Test
  void theBundledTypesAreExactlyTheRepositorysSchemas() {
    assertThat(TelemetryTypeRegistry.bundled().types())
        .extracting(TelemetryType::id)
        .containsExactlyElementsOf(REGISTRY.types().stream().map(TelemetryType::id).toList());
  }

  @TestFactory
  Stream<DynamicNode> everyTelemetryTypeAcceptsItsValidAndRejectsItsInvalidExamples() {
    return REGISTRY.types().stream()
        .map(
            type -> {
              TelemetryTypeId id = type.id();
              Path examples =
                  SchemaFiles.ROOT
                      .resolve(id.application())
                      .resolve(id.telemetryType())
                      .resolve("examples")
                      .resolve("v" + id.schemaVersion());
              return dynamicContainer(
                  id.toString(),
                  Stream.concat(
                      examples(
                          examples.resolve("valid"),
                          file ->
                              assertValid(
                                  VALIDATOR.validatePayload(id, Files.readAllBytes(file)), file)),
                      examples(
                          examples.resolve("invalid"),
                          file ->
                              assertInvalid(
                                  VALIDATOR.validatePayload(id, Files.readAllBytes(file)), file))));
            });
  }

  @TestFactory
  Stream<DynamicNode> theEnvelopeAcceptsItsValidAndRejectsItsInvalidExamples() {
    Path examples = SchemaFiles.ROOT.resolve("examples").resolve("envelope");
    return Stream.concat(
        examples(
            examples.resolve("valid"),
            file -> assertValid(VALIDATOR.validate(Files.readAllBytes(file)), file)),
        examples(
            examples.resolve("invalid"),
            file -> assertInvalid(VALIDATOR.validate(Files.readAllBytes(file)), file)));
  }

  private interface ExampleCheck {
    void check(Path file) throws IOException;
  }

  /** One test per example file; a test that fails when there is none. */
  private static Stream<DynamicNode> examples(Path directory, ExampleCheck check) {
    List<DynamicNode> tests = new ArrayList<>();
    if (Files.isDirectory(directory)) {
      try (Stream<Path> files = Files.list(directory)) {
        files
            .filter(f -> f.toString().endsWith(".json"))
            .sorted()
            .forEach(
                file ->
                    tests.add(
                        dynamicTest(
                            directory.getFileName() + "/" + file.getFileName(),
                            () -> check.check(file))));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    if (tests.isEmpty()) {
      tests.add(
          dynamicTest(
              directory.getFileName() + " has examples",
              () ->
                  assertThat(directory)
                      .as("every type version needs at least one example in " + directory)
                      .isDirectoryContaining("glob:**.json")));
    }
    return tests.stream();
  }

  private static void assertValid(ValidationResult result, Path file) {
    assertThat(result.violations()).as(file.toString()).isEmpty();
  }

  private static void assertInvalid(ValidationResult result, Path file) {
    assertThat(result.isValid()).as(file + " should be rejected").isFalse();
    assertThat(result.violations())
        .as(file.toString())
        .allSatisfy(v -> assertThat(v.message()).isNotBlank());
  }
}
