package com.suse.telemetry.core.internal;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.suse.telemetry.core.Violation;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A JSON Schema compiled once, validating parsed documents without re-reading them. */
public final class CompiledSchema {

  private final Schema schema;

  CompiledSchema(Schema schema) {
    this.schema = schema;
  }

  /**
   * Validates {@code instance}, returning every violation with a pointer into the submitted
   * document, {@code pointerPrefix} being where {@code instance} sits in it.
   */
  public List<Violation> validate(JsonNode instance, String pointerPrefix) {
    List<Error> errors = schema.validate(instance);
    if (errors.isEmpty()) {
      return List.of();
    }
    List<Violation> violations = new ArrayList<>(errors.size());
    for (Error error : errors) {
      violations.add(toViolation(error, pointerPrefix));
    }
    return violations;
  }

  // A missing or unexpected property is reported on its parent object; point at the property.
  private static Violation toViolation(Error error, String pointerPrefix) {
    String pointer = pointerPrefix + error.getInstanceLocation().toString();
    String keyword = error.getKeyword();
    if (error.getProperty() != null && !error.isCustomMessage()) {
      if ("required".equals(keyword)) {
        return new Violation(
            JsonPointers.property(pointer, error.getProperty()), "is required but missing");
      }
      if ("additionalProperties".equals(keyword) || "unevaluatedProperties".equals(keyword)) {
        return new Violation(
            JsonPointers.property(pointer, error.getProperty()), "is not a known property here");
      }
    }
    return new Violation(pointer, error.getMessage());
  }
}
