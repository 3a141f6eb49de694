package com.suse.telemetry.testkit;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The schemas of an OpenAPI 3.1 document, compiled by the networknt engine in the OpenAPI 3.1
 * dialect (JSON Schema 2020-12 and OpenAPI's own keywords), with format assertions on. OpenAPI's
 * fields and {@code x-} extensions are annotations; any other keyword the engine does not know is
 * refused, since a misspelt one would validate nothing. Nothing is fetched from the network but the
 * engine's bundled JSON Schema meta-schemas. Thread-safe; each schema is compiled on first use.
 */
final class DocumentSchemas {

  /** The document's base IRI, against which its own references resolve. */
  private static final String BASE = "https://telemetry.suse.com/api/openapi.json";

  /** The fields of an OpenAPI document, around the schema under check at its root. */
  private static final Set<String> DOCUMENT_FIELDS =
      Set.of(
          "openapi",
          "info",
          "jsonSchemaDialect",
          "servers",
          "paths",
          "webhooks",
          "components",
          "security",
          "tags",
          "externalDocs");

  private final JsonNode document;
  private final SchemaRegistry engine;
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
  private final AtomicInteger compilations = new AtomicInteger();

  DocumentSchemas(JsonNode document) {
    this.document = document;
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .locale(Locale.ENGLISH)
            .formatAssertionsEnabled(true)
            .build();
    Dialect openApi = strict(Dialects.getOpenApi31());
    this.engine =
        SchemaRegistry.withDialects(
            // Schemas the document holds whole (with their own $schema) are plain 2020-12.
            List.of(openApi, strict(Dialects.getDraft202012())),
            builder ->
                builder
                    .defaultDialectId(openApi.getId())
                    .schemaRegistryConfig(config)
                    .schemaLoader(
                        loader ->
                            loader.block(
                                iri -> !iri.toString().startsWith("https://json-schema.org/"))));
  }

  private static Dialect strict(Dialect dialect) {
    return Dialect.builder(dialect)
        .unknownKeywordFactory(
            (keyword, context) -> {
              if (keyword.startsWith("x-") || DOCUMENT_FIELDS.contains(keyword)) {
                return new AnnotationKeyword(keyword);
              }
              throw new IllegalArgumentException("unknown keyword '" + keyword + "'");
            })
        .build();
  }

  /**
   * How {@code instance} departs from the schema at {@code pointer}: one line per error, with where
   * in the instance.
   */
  List<String> validate(String pointer, JsonNode instance) {
    return compile(pointer).validate(instance).stream()
        .map(error -> "at '" + error.getInstanceLocation() + "': " + error.getMessage())
        .toList();
  }

  /**
   * The schema at {@code pointer}, compiled as the whole document with that schema in a place of
   * its own and referenced from the root, so that the document's own references resolve within it
   * whatever characters the pointer holds.
   *
   * @throws RuntimeException if it cannot be compiled: an unknown keyword, a reference to nothing
   */
  Schema compile(String pointer) {
    return compiled.computeIfAbsent(
        pointer,
        at -> {
          ObjectNode root = (ObjectNode) document.deepCopy();
          root.set("x-checked", document.at(at));
          root.put("$ref", "#/x-checked");
          Schema schema =
              engine.getSchema(
                  SchemaLocation.of(BASE + "?schema=" + compilations.incrementAndGet()), root);
          schema.initializeValidators();
          return schema;
        });
  }
}
