package com.suse.telemetry.http;

import com.suse.telemetry.core.TelemetryException;
import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/openapi.json}: the HTTP contract as OpenAPI 3.1. The document in the repository
 * ({@link #DOCUMENT}) refers to the envelope schema and the Trento hosts schema by their {@code
 * $id}, so that each has one source, under {@code schemas/}; it is served with both in place, so
 * that it stands alone.
 */
final class OpenApiRoutes {

  /** The document, as kept in the repository: a resource of this module. */
  static final String DOCUMENT = "com/suse/telemetry/http/openapi.json";

  static final String PATH = "/api/openapi.json";

  /** Where the core jar bundles the envelope schema. */
  private static final String ENVELOPE_SCHEMA = "com/suse/telemetry/schemas/envelope.schema.json";

  private static final TelemetryTypeId TRENTO_HOSTS =
      new TelemetryTypeId("trento", "host_telemetry", 1);

  private final byte[] document;

  OpenApiRoutes(TelemetryTypeRegistry registry) {
    // The registry is immutable: the document is written once.
    this.document = Responses.JSON.writeValueAsBytes(served(registry));
  }

  void register(RoutesConfig routes) {
    routes.get(PATH, ctx -> Responses.send(ctx, 200, Responses.JSON_TYPE, document));
  }

  /** The repository's document with the schemas it refers to in place of their references. */
  static ObjectNode served(TelemetryTypeRegistry registry) {
    ObjectNode document = (ObjectNode) read(DOCUMENT);
    ObjectNode schemas = (ObjectNode) document.path("components").path("schemas");
    schemas.set("Envelope", read(ENVELOPE_SCHEMA));
    TelemetryType hosts =
        registry
            .find(TRENTO_HOSTS)
            .orElseThrow(
                () -> new TelemetryException("the registry lacks " + TRENTO_HOSTS + "'s schema"));
    schemas.set("TrentoHosts", Responses.JSON.readTree(hosts.schemaJson()));
    return document;
  }

  private static JsonNode read(String resource) {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new TelemetryException(resource + " is missing from the class path");
      }
      return Responses.JSON.readTree(in);
    } catch (IOException e) {
      throw new TelemetryException("cannot read " + resource, e);
    }
  }
}
