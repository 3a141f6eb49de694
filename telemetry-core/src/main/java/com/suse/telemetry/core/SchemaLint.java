package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.internal.JsonDocuments;
import com.suse.telemetry.core.internal.SchemaCompiler;
import com.suse.telemetry.core.internal.SchemaNarrowing;
import com.suse.telemetry.core.internal.TypeDefinition;
import com.suse.telemetry.core.internal.TypeDefinitionReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Checks a new or changed telemetry type before it is published, as a contributor would want it
 * checked: the schema compiles and its {@code x-telemetry} metadata names real properties (the
 * registry's own checks); its examples pass and fail as filed; a published version has not changed
 * (see {@link SchemaLock}); and what a new version rejects that the previous version accepted: the
 * previous version's valid examples run through the new schema, and the two schemas compared
 * property by property (types, required properties, enumerations, formats, patterns, bounds).
 *
 * <p>Immutable and safe to share between threads.
 */
public final class SchemaLint {

  private final TelemetryTypeRegistry published;
  private final List<SinkMetadata<?>> sinks;

  private SchemaLint(TelemetryTypeRegistry published, List<SinkMetadata<?>> sinks) {
    this.published = published;
    this.sinks = sinks;
  }

  /**
   * A lint looking up a previous version in {@code published} when it does not lie beside the file
   * checked (e.g. the bundled types, for a new version written in a directory of its own).
   */
  public static SchemaLint create(TelemetryTypeRegistry published) {
    return create(published, List.of());
  }

  /**
   * A lint like {@link #create(TelemetryTypeRegistry)} that also checks each of {@code sinks}'
   * section of the {@code x-telemetry} metadata, as the collector forwarding to them will.
   */
  public static SchemaLint create(TelemetryTypeRegistry published, List<SinkMetadata<?>> sinks) {
    return new SchemaLint(requireNonNull(published, "published"), List.copyOf(sinks));
  }

  /** The telemetry type schema files under the schemas directory {@code root}, by path. */
  public static List<Path> schemaFiles(Path root) {
    return TypeDefinitionReader.typeFiles(root);
  }

  /**
   * Checks the telemetry type schema {@code file}, laid out as {@code
   * <dir>/<application>/<telemetry_type>/v<N>.schema.json} in a schemas directory.
   *
   * @throws IllegalArgumentException if it is not a file laid out so
   */
  public List<LintFinding> lint(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute) || absolute.getNameCount() < 4) {
      throw new IllegalArgumentException(
          file + ": expected an existing <dir>/<application>/<type>/vN.schema.json");
    }
    Path root = absolute.getParent().getParent().getParent();
    try {
      TypeDefinitionReader.idFromPath(root, absolute);
    } catch (InvalidTelemetryTypeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return lint(root, absolute);
  }

  /** Checks every telemetry type schema under the schemas directory {@code root}. */
  public List<LintFinding> lintDirectory(Path root) {
    List<LintFinding> findings = new ArrayList<>();
    for (Path file : TypeDefinitionReader.typeFiles(root)) {
      findings.addAll(lint(root, file));
    }
    return findings;
  }

  /**
   * Checks the telemetry type schema {@code file}, which lies under the schemas directory {@code
   * root} as {@code <application>/<telemetry_type>/v<N>.schema.json}, with its examples beside it.
   */
  public List<LintFinding> lint(Path root, Path file) {
    String name = file.toString();
    List<LintFinding> findings = new ArrayList<>();
    TypeDefinitionReader reader = new TypeDefinitionReader(new SchemaCompiler());
    TypeDefinition definition;
    try {
      definition = reader.read(root, file);
    } catch (InvalidTelemetryTypeException e) {
      findings.add(new LintFinding(LintFinding.Level.ERROR, name, e.getMessage()));
      return findings;
    }
    TelemetryTypeId id = definition.id();
    checkSinkSections(new TelemetryType(definition), findings, name);
    TelemetryValidator validator =
        TelemetryValidator.create(TelemetryTypeRegistry.of(List.of(definition)));
    Path examples = examplesOf(root, id);
    checkExamples(validator, id, examples, findings, name);
    checkLock(root, file, id, findings, name);
    if (id.schemaVersion() > 1) {
      TelemetryTypeId previousId =
          new TelemetryTypeId(id.application(), id.telemetryType(), id.schemaVersion() - 1);
      Optional<String> previous = previousSchema(reader, root, previousId);
      if (previous.isEmpty()) {
        findings.add(
            new LintFinding(
                LintFinding.Level.WARNING,
                name,
                "no " + previousId + " to compare with: a new version follows the one before it"));
      } else {
        compare(previousId, previous.get(), definition, validator, root, findings, name);
      }
    }
    return findings;
  }

  private void checkSinkSections(TelemetryType type, List<LintFinding> findings, String name) {
    for (SinkMetadata<?> sink : sinks) {
      try {
        sink.read(type, type.sinkSection(sink.sink()).orElse(Map.of()));
      } catch (IllegalArgumentException e) {
        findings.add(
            new LintFinding(
                LintFinding.Level.ERROR,
                name,
                "x-telemetry." + sink.sink() + ": " + e.getMessage()));
      }
    }
  }

  private static Path examplesOf(Path root, TelemetryTypeId id) {
    return root.resolve(id.application())
        .resolve(id.telemetryType())
        .resolve("examples")
        .resolve("v" + id.schemaVersion());
  }

  private static void checkExamples(
      TelemetryValidator validator,
      TelemetryTypeId id,
      Path examples,
      List<LintFinding> findings,
      String name) {
    for (boolean valid : new boolean[] {true, false}) {
      Path directory = examples.resolve(valid ? "valid" : "invalid");
      List<Path> files = jsonFiles(directory);
      if (files.isEmpty()) {
        findings.add(
            new LintFinding(
                LintFinding.Level.ERROR,
                name,
                "no " + (valid ? "valid" : "invalid") + " example: add one to " + directory));
      }
      for (Path example : files) {
        ValidationResult result = validator.validatePayload(id, read(example));
        if (valid && !result.isValid()) {
          findings.add(
              new LintFinding(
                  LintFinding.Level.ERROR,
                  name,
                  "the valid example " + example.getFileName() + " is rejected: " + first(result)));
        } else if (!valid && result.isValid()) {
          findings.add(
              new LintFinding(
                  LintFinding.Level.ERROR,
                  name,
                  "the invalid example " + example.getFileName() + " is accepted"));
        }
      }
    }
  }

  private static void checkLock(
      Path root, Path file, TelemetryTypeId id, List<LintFinding> findings, String name) {
    SchemaLock lock = SchemaLock.read(root);
    if (!lock.exists()) {
      return;
    }
    String hash = SchemaLock.hash(file);
    Optional<String> locked = lock.hashOf(id);
    if (locked.isEmpty()) {
      findings.add(
          new LintFinding(
              LintFinding.Level.NOTE,
              name,
              "not yet in "
                  + SchemaLock.FILE_NAME
                  + ": when publishing it, add the line '"
                  + SchemaLock.line(id, hash)
                  + "'"));
    } else if (!locked.get().equals(hash)) {
      findings.add(
          new LintFinding(
              LintFinding.Level.ERROR,
              name,
              id
                  + " is published and must not change: undo the edit and add v"
                  + (id.schemaVersion() + 1)
                  + " instead"));
    }
  }

  /** The previous version's schema text: beside the file, else among the published types. */
  private Optional<String> previousSchema(
      TypeDefinitionReader reader, Path root, TelemetryTypeId previous) {
    Path beside =
        root.resolve(previous.application())
            .resolve(previous.telemetryType())
            .resolve("v" + previous.schemaVersion() + ".schema.json");
    if (Files.isRegularFile(beside)) {
      try {
        return Optional.of(reader.read(root, beside).schemaJson());
      } catch (InvalidTelemetryTypeException e) {
        return Optional.empty(); // reported when that file is checked
      }
    }
    return published.find(previous).map(TelemetryType::schemaJson);
  }

  private static void compare(
      TelemetryTypeId previousId,
      String previousJson,
      TypeDefinition definition,
      TelemetryValidator validator,
      Path root,
      List<LintFinding> findings,
      String name) {
    TelemetryTypeId id = definition.id();
    for (Path example : jsonFiles(examplesOf(root, previousId).resolve("valid"))) {
      ValidationResult result = validator.validatePayload(id, read(example));
      if (!result.isValid()) {
        findings.add(
            new LintFinding(
                LintFinding.Level.WARNING,
                name,
                "rejects "
                    + previousId
                    + "'s valid example "
                    + example.getFileName()
                    + ": "
                    + first(result)));
      }
    }
    JsonNode older = JsonDocuments.readTrusted(previousJson);
    JsonNode newer = JsonDocuments.readTrusted(definition.schemaJson());
    for (String narrowing : SchemaNarrowing.of(older, newer)) {
      findings.add(
          new LintFinding(
              LintFinding.Level.WARNING,
              name,
              "rejects what " + previousId + " accepted: " + narrowing));
    }
  }

  private static String first(ValidationResult result) {
    List<Violation> violations = result.violations();
    return violations.get(0)
        + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "");
  }

  private static List<Path> jsonFiles(Path directory) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
