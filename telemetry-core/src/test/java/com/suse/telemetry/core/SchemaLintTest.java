package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaLintTest {

  /**
   * A sink's metadata reader as a sink module gives one: its tags must be the type's properties.
   */
  private static final SinkMetadata<Object> TAGGING_SINK =
      new SinkMetadata<>() {
        @Override
        public String sink() {
          return "influxdb";
        }

        @Override
        public Class<Object> type() {
          return Object.class;
        }

        @Override
        public Object read(TelemetryType type, Map<String, Object> section) {
          for (Object tag : (List<?>) section.getOrDefault("tags", List.of())) {
            if (!type.properties().containsKey(tag)) {
              throw new IllegalArgumentException(
                  "tags names '" + tag + "', which the schema does not declare");
            }
          }
          return section;
        }
      };

  private static final SchemaLint LINT =
      SchemaLint.create(TelemetryTypeRegistry.bundled(), List.of(TAGGING_SINK));

  @TempDir Path root;
  private Path profiles;

  @BeforeEach
  void copySystemProfiles() throws IOException {
    Path from = SchemaFiles.ROOT.resolve("sles/system_profile");
    profiles = root.resolve("sles/system_profile");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = profiles.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    Files.copy(SchemaFiles.ROOT.resolve(SchemaLock.FILE_NAME), root.resolve(SchemaLock.FILE_NAME));
  }

  /** Writes v2: v1 changed by {@code edit}, with v1's examples as its own. */
  private Path version2(String... replacements) throws IOException {
    String schema =
        Files.readString(profiles.resolve("v1.schema.json"))
            .replace("/v1.schema.json", "/v2.schema.json");
    for (int i = 0; i < replacements.length; i += 2) {
      assertThat(schema).contains(replacements[i]);
      schema = schema.replace(replacements[i], replacements[i + 1]);
    }
    Path v2 = profiles.resolve("v2.schema.json");
    Files.writeString(v2, schema);
    for (String kind : List.of("valid", "invalid")) {
      Path examples = Files.createDirectories(profiles.resolve("examples/v2/" + kind));
      try (Stream<Path> files = Files.list(profiles.resolve("examples/v1/" + kind))) {
        for (Path file : files.toList()) {
          Files.copy(file, examples.resolve(file.getFileName()));
        }
      }
    }
    return v2;
  }

  private static List<String> messages(List<LintFinding> findings, LintFinding.Level level) {
    return findings.stream().filter(f -> f.level() == level).map(LintFinding::message).toList();
  }

  @Test
  void findsNothingWrongWithThePublishedTypes() {
    List<LintFinding> findings = LINT.lintDirectory(SchemaFiles.ROOT);

    assertThat(findings).isEmpty();
  }

  @Test
  void reportsWhatANewVersionRejectsThatThePreviousAccepted() throws IOException {
    Path v2 =
        version2(
            "\"required\": [\"system_id\"",
            "\"required\": [\"secure_boot\", \"system_id\"",
            "\"properties\": {",
            "\"properties\": {\"secure_boot\": {\"type\": \"boolean\"},",
            "\"enum\": [\"x86_64\", \"aarch64\", \"ppc64le\", \"s390x\"]",
            "\"enum\": [\"x86_64\", \"aarch64\"]",
            "\"minimum\": 1",
            "\"minimum\": 2",
            "\"maxLength\": 128\n",
            "\"maxLength\": 64\n");

    List<LintFinding> findings = LINT.lint(root, v2);

    assertThat(messages(findings, LintFinding.Level.WARNING))
        .contains(
            "rejects what sles/system_profile v1 accepted: /secure_boot: is now required",
            "rejects what sles/system_profile v1 accepted: /arch: no longer accepts \"ppc64le\","
                + " \"s390x\"",
            "rejects what sles/system_profile v1 accepted: /cpu_count: minimum raised to 2 from 1",
            "rejects what sles/system_profile v1 accepted: /kernel_version: maxLength lowered to"
                + " 64 from 128")
        .anySatisfy(
            message ->
                assertThat(message)
                    .startsWith("rejects sles/system_profile v1's valid example bare-metal.json:")
                    .contains("/secure_boot: is required but missing"));
    assertThat(messages(findings, LintFinding.Level.ERROR))
        .as("v1's valid examples filed as v2's")
        .anySatisfy(message -> assertThat(message).contains("bare-metal.json is rejected"));
    assertThat(messages(findings, LintFinding.Level.NOTE))
        .singleElement()
        .asString()
        .contains("not yet in published.lock")
        .contains("'sles/system_profile/v2 " + SchemaLock.hash(v2) + "'");
  }

  @Test
  void aVersionThatOnlyWidensRejectsNothingThePreviousAccepted() throws IOException {
    Path v2 =
        version2("\"properties\": {", "\"properties\": {\"secure_boot\": {\"type\": \"boolean\"},");

    assertThat(LINT.lint(root, v2))
        .extracting(LintFinding::level)
        .containsExactly(LintFinding.Level.NOTE);
  }

  @Test
  void refusesBrokenMetadataAnEditedPublishedVersionAndExamplesFiledWrong() throws IOException {
    Path v1 = profiles.resolve("v1.schema.json");
    Files.writeString(v1, Files.readString(v1).replace("\"minimum\": 1", "\"minimum\": 0"));
    Files.writeString(
        profiles.resolve("examples/v1/invalid/zero-cpus.json"),
        Files.readString(profiles.resolve("examples/v1/valid/bare-metal.json"))
            .replace("\"cpu_count\": 32", "\"cpu_count\": 0"));
    Path v2 = version2("\"tags\": [\"product\"", "\"tags\": [\"produkt\"");

    assertThat(messages(LINT.lint(root, v1), LintFinding.Level.ERROR))
        .containsExactlyInAnyOrder(
            "sles/system_profile v1 is published and must not change: undo the edit and add v2"
                + " instead",
            "the invalid example zero-cpus.json is accepted");
    // v2 is the edited v1, with its examples: the invalid one is accepted there too.
    assertThat(messages(LINT.lint(root, v2), LintFinding.Level.ERROR))
        .containsExactlyInAnyOrder(
            "x-telemetry.influxdb: tags names 'produkt', which the schema does not declare",
            "the invalid example zero-cpus.json is accepted");
  }
}
