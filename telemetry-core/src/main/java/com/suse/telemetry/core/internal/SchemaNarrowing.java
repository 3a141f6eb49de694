package com.suse.telemetry.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Compares two JSON Schemas structurally and tells where the newer one rejects what the older one
 * accepted: a property it no longer allows or newly requires, a type, enumeration, constant, format
 * or pattern it narrowed, a bound it tightened. It follows {@code properties}, {@code items} and
 * local {@code $ref}s; what it cannot compare ({@code allOf}, {@code if}, ...) it does not judge,
 * so an empty answer is no proof, only a good sign.
 */
public final class SchemaNarrowing {

  private static final int MAX_DEPTH = 32;
  private static final List<String> LOWER_BOUNDS =
      List.of("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties");
  private static final List<String> UPPER_BOUNDS =
      List.of("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties");

  private final JsonNode oldRoot;
  private final JsonNode newRoot;
  private final List<String> findings = new ArrayList<>();

  private SchemaNarrowing(JsonNode oldRoot, JsonNode newRoot) {
    this.oldRoot = oldRoot;
    this.newRoot = newRoot;
  }

  /**
   * Where {@code newer} rejects what {@code older} accepted, each as {@code pointer: what}, the
   * pointer into a payload with {@code *} for any array element.
   */
  public static List<String> of(JsonNode older, JsonNode newer) {
    SchemaNarrowing narrowing = new SchemaNarrowing(older, newer);
    narrowing.compare(older, newer, "", 0);
    return List.copyOf(narrowing.findings);
  }

  private void compare(JsonNode older, JsonNode newer, String where, int depth) {
    older = resolve(oldRoot, older);
    newer = resolve(newRoot, newer);
    if (depth > MAX_DEPTH || older == null || newer == null) {
      return;
    }
    if (newer.isBoolean()
        && !newer.booleanValue()
        && !(older.isBoolean() && !older.booleanValue())) {
      add(where, "accepts nothing any more");
      return;
    }
    if (!older.isObject() || !newer.isObject()) {
      return;
    }
    types(older, newer, where);
    values(older, newer, where);
    bounds(older, newer, where);
    properties(older, newer, where, depth);
    if (newer.has("items")) {
      if (older.has("items")) {
        compare(older.get("items"), newer.get("items"), where + "/*", depth + 1);
      } else {
        add(where, "now constrains its array elements");
      }
    }
    if (newer.path("uniqueItems").asBoolean(false) && !older.path("uniqueItems").asBoolean(false)) {
      add(where, "now requires unique array elements");
    }
  }

  private void types(JsonNode older, JsonNode newer, String where) {
    Set<String> newTypes = types(newer);
    if (newTypes == null) {
      return;
    }
    Set<String> oldTypes = types(older);
    if (oldTypes == null) {
      add(where, "now must be of type " + newTypes + " (any type before)");
      return;
    }
    Set<String> lost = new LinkedHashSet<>();
    for (String type : oldTypes) {
      boolean kept =
          newTypes.contains(type) || (type.equals("integer") && newTypes.contains("number"));
      if (!kept) {
        lost.add(type);
      }
    }
    if (!lost.isEmpty()) {
      add(
          where,
          "no longer accepts type " + lost + " (now " + newTypes + ", was " + oldTypes + ")");
    }
  }

  private static Set<String> types(JsonNode schema) {
    JsonNode type = schema.path("type");
    if (type.isString()) {
      return Set.of(type.stringValue());
    }
    if (type.isArray()) {
      Set<String> types = new LinkedHashSet<>();
      type.values().forEach(t -> types.add(t.asString("")));
      return types;
    }
    return null;
  }

  private void values(JsonNode older, JsonNode newer, String where) {
    JsonNode newEnum = newer.path("enum");
    if (newEnum.isArray()) {
      JsonNode oldEnum = older.path("enum");
      if (!oldEnum.isArray()) {
        add(where, "now only accepts " + newEnum);
      } else {
        List<String> removed = new ArrayList<>();
        for (JsonNode value : oldEnum.values()) {
          if (!contains(newEnum, value)) {
            removed.add(value.toString());
          }
        }
        if (!removed.isEmpty()) {
          add(where, "no longer accepts " + String.join(", ", removed));
        }
      }
    }
    if (newer.has("const") && !newer.get("const").equals(older.get("const"))) {
      add(where, "now only accepts " + newer.get("const"));
    }
    for (String keyword : List.of("pattern", "format")) {
      JsonNode now = newer.path(keyword);
      if (now.isString() && !now.equals(older.path(keyword))) {
        add(
            where,
            keyword
                + " now "
                + now
                + (older.has(keyword) ? " (was " + older.get(keyword) + ")" : " (none before)"));
      }
    }
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode element : array.values()) {
      if (element.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private void bounds(JsonNode older, JsonNode newer, String where) {
    for (String keyword : LOWER_BOUNDS) {
      JsonNode now = newer.path(keyword);
      JsonNode before = older.path(keyword);
      if (now.isNumber()
          && (!before.isNumber() || now.decimalValue().compareTo(before.decimalValue()) > 0)) {
        add(where, keyword + " raised to " + now + (before.isNumber() ? " from " + before : ""));
      }
    }
    for (String keyword : UPPER_BOUNDS) {
      JsonNode now = newer.path(keyword);
      JsonNode before = older.path(keyword);
      if (now.isNumber()
          && (!before.isNumber() || now.decimalValue().compareTo(before.decimalValue()) < 0)) {
        add(where, keyword + " lowered to " + now + (before.isNumber() ? " from " + before : ""));
      }
    }
  }

  private void properties(JsonNode older, JsonNode newer, String where, int depth) {
    JsonNode oldProperties = older.path("properties");
    JsonNode newProperties = newer.path("properties");
    Set<String> oldRequired = names(older.path("required"));
    for (String name : names(newer.path("required"))) {
      if (!oldRequired.contains(name)) {
        add(JsonPointers.property(where, name), "is now required");
      }
    }
    boolean closedNow = isClosed(newer);
    if (closedNow) {
      for (String name : oldProperties.propertyNames()) {
        if (!newProperties.has(name)) {
          add(JsonPointers.property(where, name), "is no longer accepted");
        }
      }
      if (!isClosed(older)) {
        add(where, "no longer accepts properties it does not declare");
      }
    }
    for (String name : oldProperties.propertyNames()) {
      if (newProperties.has(name)) {
        compare(
            oldProperties.get(name),
            newProperties.get(name),
            JsonPointers.property(where, name),
            depth + 1);
      }
    }
  }

  private static boolean isClosed(JsonNode schema) {
    JsonNode additional = schema.path("additionalProperties");
    JsonNode unevaluated = schema.path("unevaluatedProperties");
    return (additional.isBoolean() && !additional.booleanValue())
        || (unevaluated.isBoolean() && !unevaluated.booleanValue());
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new LinkedHashSet<>();
    if (array.isArray()) {
      array.values().forEach(name -> names.add(name.asString("")));
    }
    return names;
  }

  private static JsonNode resolve(JsonNode root, JsonNode schema) {
    for (int hops = 0; schema != null && schema.path("$ref").isString() && hops < 8; hops++) {
      String ref = schema.get("$ref").stringValue();
      if (!ref.startsWith("#")) {
        return null;
      }
      JsonNode target = root.at(ref.substring(1));
      schema = target.isMissingNode() ? null : target;
    }
    return schema;
  }

  private void add(String where, String what) {
    findings.add((where.isEmpty() ? "(payload)" : where) + ": " + what);
  }
}
