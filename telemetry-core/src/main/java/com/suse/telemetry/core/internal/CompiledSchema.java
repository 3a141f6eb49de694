package com.suse.telemetry.core.internal;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.suse.telemetry.core.PrintableText;
import com.suse.telemetry.core.Violation;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** A JSON Schema compiled once, validating parsed documents without re-reading them. */
public final class CompiledSchema {

  private static final Logger LOG = LoggerFactory.getLogger(CompiledSchema.class);

  private final Schema schema;

  CompiledSchema(Schema schema) {
    this.schema = schema;
  }

  /**
   * Validates {@code instance}, returning every violation with a pointer into the submitted
   * document, {@code pointerPrefix} being where {@code instance} sits in it.
   */
  public List<Violation> validate(JsonNode instance, String pointerPrefix) {
    List<Error> errors;
    try {
      errors = schema.validate(instance);
    } catch (RuntimeException e) {
      return unvalidatable(instance, pointerPrefix, e);
    }
    if (errors.isEmpty()) {
      return List.of();
    }
    List<Violation> violations = new ArrayList<>(errors.size());
    for (Error error : errors) {
      violations.add(toViolation(error, pointerPrefix));
    }
    return violations;
  }

  /**
   * The engine failed on a value instead of judging it. The one case known: an integer written with
   * an exponent (1e19) beyond 64 bits, checked against a numeric keyword. Point at such values;
   * anything else becomes one violation on the whole document, never an exception.
   */
  private static List<Violation> unvalidatable(
      JsonNode instance, String prefix, RuntimeException failure) {
    // Caused by what a client sent: the violation answers it; the log is no place for it.
    LOG.debug(
        "Schema validation failed on a value instead of judging it: {}",
        PrintableText.of(failure.toString()));
    List<Violation> violations = new ArrayList<>();
    findHugeIntegers(instance, prefix, violations);
    if (violations.isEmpty()) {
      violations.add(new Violation(prefix, "cannot be validated: " + failure.getMessage()));
    }
    return violations;
  }

  private static void findHugeIntegers(JsonNode node, String pointer, List<Violation> found) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              p ->
                  findHugeIntegers(
                      p.getValue(), JsonPointers.property(pointer, p.getKey()), found));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        findHugeIntegers(node.get(i), JsonPointers.index(pointer, i), found);
      }
    } else if (node.isBigDecimal()
        && node.canConvertToExactIntegral()
        && !node.canConvertToLong()) {
      found.add(new Violation(pointer, "integer out of range: beyond 64 bits"));
    }
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
