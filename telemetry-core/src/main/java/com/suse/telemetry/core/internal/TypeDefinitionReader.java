package com.suse.telemetry.core.internal;

import com.suse.telemetry.core.InvalidTelemetryTypeException;
import com.suse.telemetry.core.PropertyType;
import com.suse.telemetry.core.TelemetryTypeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads telemetry type schema files: {@code <application>/<telemetry_type>/v<N>.schema.json} under
 * a schemas directory, each a draft 2020-12 JSON Schema of the payload with an {@code x-telemetry}
 * object for the type's metadata:
 *
 * <pre>{@code
 * "x-telemetry": {
 *   "record_time": "time",      // optional: a date-time (or date) property; else the envelope's time
 *   "identity": ["installation_id", "agent_id", "time"], // optional, with the record time; else the
 *                                                        // whole record
 *   "<sink>": { ... }           // optional: a secondary sink's own section, under its name,
 *                               // read and checked by the sink's SinkMetadata
 * }
 * }</pre>
 */
public final class TypeDefinitionReader {

  /** The file name of the envelope schema at the root of a schemas directory. */
  public static final String ENVELOPE_FILE = "envelope.schema.json";

  /** Base of the {@code $id} of every bundled schema. */
  public static final String ID_BASE = "https://telemetry.suse.com/schemas/";

  private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
  private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.schema\\.json");
  private static final Set<String> METADATA_KEYS = Set.of("record_time", "identity");
  private static final Pattern SINK_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final SchemaCompiler compiler;

  /** Creates a reader compiling with {@code compiler}. */
  public TypeDefinitionReader(SchemaCompiler compiler) {
    this.compiler = compiler;
  }

  /** The schema files of telemetry types under {@code root}, sorted by path. */
  public static List<Path> typeFiles(Path root) {
    try (var files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().endsWith(".schema.json"))
          .filter(file -> !root.relativize(file).toString().equals(ENVELOPE_FILE))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new InvalidTelemetryTypeException(
          "cannot read schemas directory " + root + ": " + e, e);
    }
  }

  /** Reads and compiles the envelope schema {@code file}. */
  public CompiledSchema readEnvelope(Path file) {
    JsonNode schema = readSchema(file, ID_BASE + ENVELOPE_FILE);
    return compile(file, ID_BASE + ENVELOPE_FILE, schema);
  }

  /** Reads the telemetry type schema at {@code file}, which lies under {@code root}. */
  public TypeDefinition read(Path root, Path file) {
    TelemetryTypeId id = idFromPath(root, file);
    String schemaId =
        ID_BASE
            + id.application()
            + "/"
            + id.telemetryType()
            + "/"
            + "v"
            + id.schemaVersion()
            + ".schema.json";
    JsonNode schema = readSchema(file, schemaId);
    JsonNode recordSchema = recordSchema(file, schema);
    Map<String, PropertyType> properties = properties(file, recordSchema);
    JsonNode metadata = schema.path("x-telemetry");
    if (!metadata.isMissingNode() && !metadata.isObject()) {
      throw invalid(file, "x-telemetry must be an object");
    }
    Map<String, Map<String, Object>> sinkSections = sinkSections(file, metadata);

    String recordTime = optionalString(file, metadata, "record_time", "x-telemetry.record_time");
    if (recordTime != null && properties.get(recordTime) != PropertyType.STRING) {
      throw invalid(
          file,
          "x-telemetry.record_time names '"
              + recordTime
              + "', which is not a string property of a record");
    }
    boolean recordTimeIsDate =
        recordTime != null
            && "date"
                .equals(
                    recordSchema.path("properties").path(recordTime).path("format").asString(""));
    List<String> identity = names(file, metadata, "identity", "x-telemetry.identity");
    requireProperties(file, "x-telemetry.identity", identity, properties);
    requireRecordTimeInIdentity(file, identity, recordTime);

    return new TypeDefinition(
        id,
        describe(file),
        schema.path("title").asString(""),
        schema.path("description").asString(""),
        readText(file),
        recordTime,
        recordTimeIsDate,
        identity,
        Collections.unmodifiableMap(properties),
        sinkSections,
        compile(file, schemaId, schema));
  }

  /**
   * Records are de-duplicated per record time: the store keeps a record once per application, type,
   * record time and identity. An identity that left the record time out would promise more than
   * that (the same values re-sent at another time are stored again), so a declared identity must
   * name the record time.
   */
  private static void requireRecordTimeInIdentity(
      Path file, List<String> identity, String recordTime) {
    if (identity.isEmpty() || (recordTime != null && identity.contains(recordTime))) {
      return;
    }
    throw invalid(
        file,
        recordTime == null
            ? "x-telemetry.identity needs the record time among its properties, since records are"
                + " de-duplicated per record time: declare x-telemetry.record_time (a date-time or"
                + " date property of a record) and list it in x-telemetry.identity"
            : "x-telemetry.identity must list the record time '"
                + recordTime
                + "', since records are de-duplicated per record time");
  }

  /**
   * The type version {@code file} defines by its place under {@code root}.
   *
   * @throws InvalidTelemetryTypeException if it does not lie where a type's schema does
   */
  public static TelemetryTypeId idFromPath(Path root, Path file) {
    Path relative = root.relativize(file);
    String expected =
        "expected <application>/<telemetry_type>/v<N>.schema.json under "
            + root
            + ", application and type in lower-case snake case";
    if (relative.getNameCount() != 3) {
      throw invalid(file, expected);
    }
    String application = relative.getName(0).toString();
    String type = relative.getName(1).toString();
    Matcher version = VERSION_FILE.matcher(relative.getName(2).toString());
    if (!TelemetryTypeId.isValidName(application)
        || !TelemetryTypeId.isValidName(type)
        || !version.matches()) {
      throw invalid(file, expected);
    }
    return new TelemetryTypeId(application, type, Integer.parseInt(version.group(1)));
  }

  private JsonNode readSchema(Path file, String expectedId) {
    JsonNode schema;
    try {
      schema = JsonDocuments.readTrusted(readText(file));
    } catch (JacksonException e) {
      throw invalid(file, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!schema.isObject()) {
      throw invalid(file, "a schema must be a JSON object");
    }
    String dialect = schema.path("$schema").asString(DIALECT);
    if (!dialect.equals(DIALECT)) {
      throw invalid(file, "$schema must be " + DIALECT + " (draft 2020-12), was " + dialect);
    }
    String id = schema.path("$id").asString(expectedId);
    if (!id.equals(expectedId)) {
      throw invalid(file, "$id must be " + expectedId + " (or absent), was " + id);
    }
    List<String> problems = compiler.metaSchemaViolations(schema);
    if (!problems.isEmpty()) {
      throw invalid(
          file, "not a valid JSON Schema (draft 2020-12): " + String.join("; ", problems));
    }
    return schema;
  }

  private CompiledSchema compile(Path file, String id, JsonNode schema) {
    try {
      return compiler.compile(id, schema);
    } catch (IllegalArgumentException e) {
      throw invalid(file, "cannot compile the schema: " + e.getMessage(), e);
    }
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw invalid(file, "cannot read the file: " + e, e);
    }
  }

  /** The schema of one record: the array's items for an array payload, else the whole schema. */
  private static JsonNode recordSchema(Path file, JsonNode schema) {
    JsonNode record =
        "array".equals(schema.path("type").asString("")) ? schema.path("items") : schema;
    JsonNode resolved = resolveLocalRef(file, schema, record);
    if (!resolved.path("properties").isObject()) {
      throw invalid(
          file,
          "a record's schema must declare its properties (an object with"
              + " \"properties\", or an array whose \"items\" is one)");
    }
    return resolved;
  }

  private static JsonNode resolveLocalRef(Path file, JsonNode root, JsonNode schema) {
    JsonNode ref = schema.path("$ref");
    if (ref.isMissingNode()) {
      return schema;
    }
    String target = ref.asString("");
    if (!target.startsWith("#/")) {
      throw invalid(
          file, "a record's schema may only $ref a definition in the same file, was " + target);
    }
    JsonNode resolved = root.at(target.substring(1));
    if (resolved.isMissingNode()) {
      throw invalid(file, "$ref " + target + " names nothing in the file");
    }
    return resolved;
  }

  private static Map<String, PropertyType> properties(Path file, JsonNode recordSchema) {
    Map<String, PropertyType> properties = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> property : recordSchema.path("properties").properties()) {
      properties.put(property.getKey(), propertyType(property.getValue()));
    }
    if (properties.isEmpty()) {
      throw invalid(file, "a record's schema must declare at least one property");
    }
    return properties;
  }

  /** The one JSON type a property's schema allows besides null, or JSON if it allows several. */
  static PropertyType propertyType(JsonNode propertySchema) {
    Set<String> types = new LinkedHashSet<>();
    JsonNode type = propertySchema.path("type");
    if (type.isString()) {
      types.add(type.stringValue());
    } else if (type.isArray()) {
      type.values().forEach(t -> types.add(t.asString("")));
    } else if (propertySchema.path("enum").isArray()) {
      propertySchema.path("enum").values().forEach(v -> types.add(jsonType(v)));
    } else if (propertySchema.has("const")) {
      types.add(jsonType(propertySchema.get("const")));
    }
    types.remove("null");
    if (types.size() != 1) {
      return PropertyType.JSON;
    }
    return switch (types.iterator().next()) {
      case "string" -> PropertyType.STRING;
      case "integer" -> PropertyType.INTEGER;
      case "number" -> PropertyType.NUMBER;
      case "boolean" -> PropertyType.BOOLEAN;
      default -> PropertyType.JSON;
    };
  }

  private static String jsonType(JsonNode value) {
    if (value.isNull()) {
      return "null";
    } else if (value.isString()) {
      return "string";
    } else if (value.isIntegralNumber()) {
      return "integer";
    } else if (value.isNumber()) {
      return "number";
    } else if (value.isBoolean()) {
      return "boolean";
    }
    return "json";
  }

  /**
   * The keys of {@code x-telemetry} besides the collector's own, each a secondary sink's section:
   * an object under the sink's name. Anything else is refused, so that a misspelt key never goes
   * unnoticed.
   */
  private static Map<String, Map<String, Object>> sinkSections(Path file, JsonNode metadata) {
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
      String key = entry.getKey();
      if (METADATA_KEYS.contains(key)) {
        continue;
      }
      if (!entry.getValue().isObject() || !SINK_NAME.matcher(key).matches()) {
        throw invalid(
            file,
            "x-telemetry has unknown key '"
                + key
                + "' (known: "
                + String.join(", ", METADATA_KEYS.stream().sorted().toList())
                + ", or a secondary sink's name with an object of its own)");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> section = (Map<String, Object>) plain(entry.getValue());
      sections.put(key, section);
    }
    return Collections.unmodifiableMap(sections);
  }

  /** A JSON value as plain Java values: immutable maps and lists, strings, numbers, booleans. */
  private static Object plain(JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> object = new LinkedHashMap<>();
      value
          .properties()
          .forEach(property -> object.put(property.getKey(), plain(property.getValue())));
      return Collections.unmodifiableMap(object);
    } else if (value.isArray()) {
      List<Object> array = new ArrayList<>();
      value.values().forEach(element -> array.add(plain(element)));
      return Collections.unmodifiableList(array);
    } else if (value.isString()) {
      return value.stringValue();
    } else if (value.isBoolean()) {
      return value.booleanValue();
    } else if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
    } else if (value.isNumber()) {
      return value.decimalValue();
    }
    return null;
  }

  private static String optionalString(Path file, JsonNode object, String key, String where) {
    JsonNode value = object.path(key);
    if (value.isMissingNode()) {
      return null;
    }
    if (!value.isString()) {
      throw invalid(file, where + " must be a string");
    }
    return value.stringValue();
  }

  private static List<String> names(Path file, JsonNode object, String key, String where) {
    JsonNode value = object.path(key);
    if (value.isMissingNode()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (value.isArray()) {
      for (JsonNode name : value.values()) {
        if (!name.isString()) {
          break;
        }
        names.add(name.stringValue());
      }
    }
    if (!value.isArray() || names.size() != value.size()) {
      throw invalid(file, where + " must be an array of property names");
    }
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw invalid(file, where + " names a property twice");
    }
    return List.copyOf(names);
  }

  private static void requireProperties(
      Path file, String where, List<String> names, Map<String, PropertyType> properties) {
    for (String name : names) {
      if (!properties.containsKey(name)) {
        throw invalid(
            file,
            where
                + " names '"
                + name
                + "', which the schema does not declare"
                + " as a property of a record (declared: "
                + String.join(", ", properties.keySet())
                + ")");
      }
    }
  }

  /** Names {@code file} for people: its path, or its URI when it lies inside a jar. */
  public static String describe(Path file) {
    return file.getFileSystem() == FileSystems.getDefault()
        ? file.toString()
        : file.toUri().toString();
  }

  private static InvalidTelemetryTypeException invalid(Path file, String problem) {
    return new InvalidTelemetryTypeException(describe(file) + ": " + problem);
  }

  private static InvalidTelemetryTypeException invalid(Path file, String problem, Throwable cause) {
    return new InvalidTelemetryTypeException(describe(file) + ": " + problem, cause);
  }
}
