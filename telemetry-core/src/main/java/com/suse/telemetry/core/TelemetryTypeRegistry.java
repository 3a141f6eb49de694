package com.suse.telemetry.core;

import static java.util.Objects.requireNonNull;

import com.suse.telemetry.core.internal.BundledSchemas;
import com.suse.telemetry.core.internal.CompiledSchema;
import com.suse.telemetry.core.internal.SchemaCompiler;
import com.suse.telemetry.core.internal.TypeDefinition;
import com.suse.telemetry.core.internal.TypeDefinitionReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every telemetry type the collector knows: those bundled in this library under {@code schemas/},
 * plus those in any directories added at build time, laid out as {@code
 * <application>/<telemetry_type>/v<N>.schema.json}. Every schema is read, checked and compiled when
 * the registry is built, so a broken one fails then, with a message naming its file; so is each
 * secondary sink's section of its metadata, by the {@link SinkMetadata} given for the sink.
 *
 * <p>Immutable once built and safe to share between threads; build it once and keep it.
 *
 * <pre>{@code
 * TelemetryTypeRegistry registry = TelemetryTypeRegistry.builder()
 *     .addDirectory(Path.of("/etc/telemetry/schemas"))
 *     .build();
 * }</pre>
 */
public final class TelemetryTypeRegistry {

  private static final Comparator<TelemetryTypeId> ORDER =
      Comparator.comparing(TelemetryTypeId::application)
          .thenComparing(TelemetryTypeId::telemetryType)
          .thenComparingInt(TelemetryTypeId::schemaVersion);

  private final CompiledSchema envelopeSchema;
  private final Map<TelemetryTypeId, TelemetryType> types;

  private TelemetryTypeRegistry(
      CompiledSchema envelopeSchema, Map<TelemetryTypeId, TelemetryType> types) {
    this.envelopeSchema = envelopeSchema;
    this.types = Collections.unmodifiableMap(types);
  }

  /** A registry of the telemetry types bundled in this library. */
  public static TelemetryTypeRegistry bundled() {
    return builder().build();
  }

  /** Starts a registry holding the bundled telemetry types. */
  public static Builder builder() {
    return new Builder();
  }

  /** The telemetry type with this id, if known. */
  public Optional<TelemetryType> find(TelemetryTypeId id) {
    return Optional.ofNullable(types.get(requireNonNull(id, "id")));
  }

  /** Every telemetry type version, ordered by application, type and version. */
  public List<TelemetryType> types() {
    return List.copyOf(types.values());
  }

  /** The applications that have at least one telemetry type, in order. */
  public SortedSet<String> applications() {
    SortedSet<String> applications = new TreeSet<>();
    types.keySet().forEach(id -> applications.add(id.application()));
    return applications;
  }

  /** The telemetry type names of {@code application}, in order; empty if it is unknown. */
  public SortedSet<String> telemetryTypes(String application) {
    SortedSet<String> names = new TreeSet<>();
    types.keySet().stream()
        .filter(id -> id.application().equals(application))
        .forEach(id -> names.add(id.telemetryType()));
    return names;
  }

  /** The schema versions of a telemetry type, in order; empty if it is unknown. */
  public SortedSet<Integer> schemaVersions(String application, String telemetryType) {
    SortedSet<Integer> versions = new TreeSet<>();
    types.keySet().stream()
        .filter(
            id -> id.application().equals(application) && id.telemetryType().equals(telemetryType))
        .forEach(id -> versions.add(id.schemaVersion()));
    return versions;
  }

  CompiledSchema envelopeSchema() {
    return envelopeSchema;
  }

  /** A registry of exactly {@code definitions}, read elsewhere: to check them on their own. */
  static TelemetryTypeRegistry of(List<TypeDefinition> definitions) {
    TypeDefinitionReader reader = new TypeDefinitionReader(new SchemaCompiler());
    CompiledSchema envelope =
        reader.readEnvelope(BundledSchemas.root().resolve(TypeDefinitionReader.ENVELOPE_FILE));
    Map<TelemetryTypeId, TelemetryType> types = new TreeMap<>(ORDER);
    definitions.forEach(definition -> types.put(definition.id(), new TelemetryType(definition)));
    return new TelemetryTypeRegistry(envelope, types);
  }

  /** Builds a {@link TelemetryTypeRegistry}. Not thread-safe; use it from one thread. */
  public static final class Builder {

    private boolean bundled = true;
    private final List<Path> directories = new ArrayList<>();
    private final Map<String, SinkMetadata<?>> sinkMetadata = new LinkedHashMap<>();

    private Builder() {}

    /** Leaves the bundled telemetry types out, e.g. to check a directory on its own. */
    public Builder withoutBundledTypes() {
      bundled = false;
      return this;
    }

    /**
     * Adds the telemetry types under {@code directory}. A type version defined both here and
     * elsewhere fails the build.
     */
    public Builder addDirectory(Path directory) {
      requireNonNull(directory, "directory");
      directories.add(directory);
      return this;
    }

    /**
     * Reads and checks a secondary sink's section of every type's {@code x-telemetry} metadata with
     * {@code metadata} (the section under its {@link SinkMetadata#sink() sink}'s name, or defaults
     * when a type has none), keeping the result as {@link TelemetryType#sinkMetadata}. Sections of
     * sinks given no reader are kept as they are, unread.
     *
     * @throws IllegalArgumentException if a reader for the same sink was given already
     */
    public Builder sinkMetadata(SinkMetadata<?> metadata) {
      requireNonNull(metadata, "metadata");
      if (sinkMetadata.putIfAbsent(metadata.sink(), metadata) != null) {
        throw new IllegalArgumentException(
            "sink metadata of '" + metadata.sink() + "' given twice");
      }
      return this;
    }

    /**
     * Reads, checks and compiles every schema.
     *
     * @throws InvalidTelemetryTypeException if a schema is broken, with a message naming its file
     */
    public TelemetryTypeRegistry build() {
      SchemaCompiler compiler = new SchemaCompiler();
      TypeDefinitionReader reader = new TypeDefinitionReader(compiler);
      Path bundledRoot = BundledSchemas.root();
      CompiledSchema envelope =
          reader.readEnvelope(bundledRoot.resolve(TypeDefinitionReader.ENVELOPE_FILE));

      List<Path> roots = new ArrayList<>();
      if (bundled) {
        roots.add(bundledRoot);
      }
      roots.addAll(directories);
      Map<TelemetryTypeId, TelemetryType> types = new TreeMap<>(ORDER);
      for (Path root : roots) {
        if (!Files.isDirectory(root)) {
          throw new InvalidTelemetryTypeException(root + ": not a directory of telemetry types");
        }
        for (Path file : TypeDefinitionReader.typeFiles(root)) {
          TypeDefinition definition = reader.read(root, file);
          TelemetryType earlier =
              types.putIfAbsent(definition.id(), withSinkMetadata(new TelemetryType(definition)));
          if (earlier != null) {
            throw new InvalidTelemetryTypeException(
                definition.source()
                    + ": defines "
                    + definition.id()
                    + ", already defined by "
                    + earlier.source());
          }
        }
      }
      return new TelemetryTypeRegistry(envelope, types);
    }

    private TelemetryType withSinkMetadata(TelemetryType type) {
      if (sinkMetadata.isEmpty()) {
        return type;
      }
      Map<String, Object> read = new HashMap<>();
      for (SinkMetadata<?> metadata : sinkMetadata.values()) {
        String sink = metadata.sink();
        Object value;
        try {
          value = metadata.read(type, type.sinkSection(sink).orElse(Map.of()));
        } catch (IllegalArgumentException e) {
          throw new InvalidTelemetryTypeException(
              type.source() + ": x-telemetry." + sink + ": " + e.getMessage(), e);
        }
        read.put(sink, metadata.type().cast(requireNonNull(value, sink + " metadata")));
      }
      return type.withSinkMetadata(read);
    }
  }
}
