package com.suse.telemetry.http;

import com.suse.telemetry.core.TelemetryType;
import com.suse.telemetry.core.TelemetryTypeId;
import com.suse.telemetry.core.TelemetryTypeRegistry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry's routes: {@code GET /api/v1/telemetry-types} (every type version) and {@code GET
 * /api/v1/telemetry-types/{application}/{type}/{version}} (that version's JSON Schema).
 */
final class TypeRoutes {

  private final TelemetryTypeRegistry registry;
  private final byte[] types;

  TypeRoutes(TelemetryTypeRegistry registry) {
    this.registry = registry;
    // The registry is immutable: its listing is written once.
    this.types = Responses.JSON.writeValueAsBytes(listing(registry));
  }

  void register(RoutesConfig routes) {
    routes.get(
        "/api/v1/telemetry-types", ctx -> Responses.send(ctx, 200, Responses.JSON_TYPE, types));
    routes.get("/api/v1/telemetry-types/{application}/{type}/{version}", this::schema);
  }

  private static ObjectNode listing(TelemetryTypeRegistry registry) {
    ArrayNode types = Responses.JSON.createArrayNode();
    for (TelemetryType type : registry.types()) {
      TelemetryTypeId id = type.id();
      types
          .addObject()
          .put("application", id.application())
          .put("telemetry_type", id.telemetryType())
          .put("schema_version", id.schemaVersion())
          .put("title", type.title())
          .put("description", type.description())
          .put(
              "schema",
              "/api/v1/telemetry-types/"
                  + id.application()
                  + "/"
                  + id.telemetryType()
                  + "/"
                  + id.schemaVersion());
    }
    ObjectNode body = Responses.JSON.createObjectNode();
    body.set("telemetry_types", types);
    return body;
  }

  private void schema(Context ctx) {
    String application = ctx.pathParam("application");
    String name = ctx.pathParam("type");
    String version = ctx.pathParam("version").replaceFirst("^v", "");
    Optional<TelemetryType> type = Optional.empty();
    if (version.matches("[1-9][0-9]{0,8}")
        && TelemetryTypeId.isValidName(application)
        && TelemetryTypeId.isValidName(name)) {
      type = registry.find(new TelemetryTypeId(application, name, Integer.parseInt(version)));
    }
    if (type.isEmpty()) {
      throw Problem.notFound(
          "no telemetry type "
              + application
              + "/"
              + name
              + " version "
              + ctx.pathParam("version")
              + "; see /api/v1/telemetry-types");
    }
    Responses.send(
        ctx,
        200,
        "application/schema+json",
        type.get().schemaJson().getBytes(StandardCharsets.UTF_8));
  }
}
