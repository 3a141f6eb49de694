package com.suse.telemetry.core.internal;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.PathType;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Compiles JSON Schemas (draft 2020-12) with the networknt engine, configured once for the whole
 * collector: JSON Pointer locations, English messages, format assertions on, custom messages from
 * an {@code x-error-message} keyword, unknown keywords refused, and no schema fetched from anywhere
 * but the engine's own bundled meta-schemas.
 */
public final class SchemaCompiler {

  /** The keyword holding a telemetry type's metadata; ignored by validation. */
  public static final String METADATA_KEYWORD = "x-telemetry";

  /** The keyword a schema uses to give its own message per failing keyword. */
  public static final String ERROR_MESSAGE_KEYWORD = "x-error-message";

  private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

  private final SchemaRegistry engine;
  private final Schema metaSchema;

  /** Creates a compiler; each one keeps its own cache of compiled schemas. */
  public SchemaCompiler() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .locale(Locale.ENGLISH)
            .formatAssertionsEnabled(true)
            .errorMessageKeyword(ERROR_MESSAGE_KEYWORD)
            .build();
    // A misspelt keyword would silently validate nothing, so unknown keywords fail the schema.
    Dialect dialect =
        Dialect.builder(Dialects.getDraft202012())
            .keyword(new NonValidationKeyword(METADATA_KEYWORD))
            .formats(TelemetryFormats.all())
            .unknownKeywordFactory(
                (keyword, context) -> {
                  throw new IllegalArgumentException("unknown keyword '" + keyword + "'");
                })
            .build();
    this.engine =
        SchemaRegistry.withDefaultDialect(
            dialect,
            builder ->
                builder
                    .schemaRegistryConfig(config)
                    // Telemetry types are self-contained: never fetch a $ref from the network.
                    .schemaLoader(loader -> loader.block(iri -> !isMetaSchema(iri.toString()))));
    this.metaSchema = engine.getSchema(SchemaLocation.of(META_SCHEMA));
  }

  private static boolean isMetaSchema(String iri) {
    return iri.startsWith("https://json-schema.org/");
  }

  /** The ways {@code schemaNode} breaks the draft 2020-12 meta-schema, empty if it is valid. */
  public List<String> metaSchemaViolations(JsonNode schemaNode) {
    List<Error> errors = metaSchema.validate(schemaNode);
    return errors.stream()
        .map(
            e ->
                (e.getInstanceLocation().toString().isEmpty()
                        ? "(root)"
                        : e.getInstanceLocation().toString())
                    + ": "
                    + e.getMessage())
        .toList();
  }

  /**
   * Compiles {@code schemaNode}, identified by {@code id}, resolving every reference now so that a
   * broken one fails here rather than during validation.
   *
   * @throws IllegalArgumentException if the schema cannot be compiled; the message says why
   */
  public CompiledSchema compile(String id, JsonNode schemaNode) {
    try {
      Schema schema = engine.getSchema(SchemaLocation.of(id), schemaNode);
      schema.initializeValidators();
      return new CompiledSchema(schema);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (SchemaException | IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
