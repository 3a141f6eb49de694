package com.suse.telemetry.core.internal;

import com.suse.telemetry.core.Violation;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads untrusted JSON into a tree and writes trees back out. Every way a document can be
 * unacceptable becomes a {@link Violation}, never an exception: malformed JSON (with line and
 * column), nesting too deep, strings, names or numbers too long, duplicate keys, trailing content,
 * and values PostgreSQL's {@code jsonb} cannot store (the NUL character, unpaired surrogates,
 * numbers beyond its range).
 */
public final class JsonDocuments {

  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_NESTING_DEPTH = 64;

  /** Longest string value accepted, in characters. */
  public static final int MAX_STRING_LENGTH = 65_536;

  /** Longest property name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = 1_024;

  /** Longest number accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Largest decimal exponent accepted; PostgreSQL's numeric ends not far beyond. */
  private static final int MAX_EXPONENT = 1_000;

  // Jackson names the source it read in some messages; here that says nothing useful.
  private static final Pattern SOURCE =
      Pattern.compile(
          "\\s*\\(for \\w+ starting at \\[Source: [^\\]]*\\]\\)|\\s*\\[Source: [^\\]]*\\]");

  // Jackson's message for a duplicate key names its own option; say it in the client's words.
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate property \"(.*)\" for ");

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNameLength(MAX_NAME_LENGTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Checked while building the tree, which costs less than the parser's own detection.
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          // Keep decimals exactly as sent: the stored record must say what the source said.
          .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private static final ObjectWriter CANONICAL_WRITER =
      MAPPER.writer().with(JsonNodeFeature.WRITE_PROPERTIES_SORTED);

  private JsonDocuments() {}

  /** A parsed document, or why it could not be accepted. */
  public record Parsed(JsonNode root, List<Violation> violations) {

    /** Whether the document is acceptable JSON. */
    public boolean isValid() {
      return violations.isEmpty();
    }
  }

  /** Parses {@code json} (UTF-8, UTF-16 or UTF-32, detected by Jackson). */
  public static Parsed parse(byte[] json) {
    return parse(() -> MAPPER.createParser(json));
  }

  /**
   * Parses {@code json} from a stream; an {@link java.io.IOException} from the stream itself (not a
   * problem of the document) is rethrown as {@link UncheckedIOException}.
   */
  public static Parsed parse(InputStream json) {
    return parse(() -> MAPPER.createParser(json));
  }

  /** Parses a trusted JSON text, such as a schema file; failures are exceptions. */
  public static JsonNode readTrusted(String json) {
    return MAPPER.readTree(json);
  }

  /** Writes {@code node} as compact JSON, properties in their original order. */
  public static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /** Writes {@code node} as canonical JSON: compact, object properties sorted by name. */
  public static byte[] writeCanonical(JsonNode node) {
    return CANONICAL_WRITER.writeValueAsBytes(node);
  }

  private static Parsed parse(Supplier<JsonParser> parsers) {
    JsonParser parser = null;
    try {
      // Creating the parser already reads the first bytes, to detect the encoding.
      parser = parsers.get();
      JsonNode root = MAPPER.readTree(parser);
      if (root == null || root.isMissingNode()) {
        return rejected("", "the body is empty: expected a JSON document");
      }
      List<Violation> violations = new ArrayList<>(0);
      if (!isStorable(root)) {
        checkStorable(root, "", violations);
      }
      return new Parsed(root, List.copyOf(violations));
    } catch (StreamConstraintsException e) {
      return rejected(pointerAt(parser), limitMessage(e));
    } catch (JacksonIOException e) {
      throw new UncheckedIOException(e.getCause());
    } catch (JacksonException e) {
      Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
      if (duplicate.lookingAt()) {
        return rejected(
            pointerAt(parser),
            "duplicate property \"" + duplicate.group(1) + "\"" + where(e.getLocation()));
      }
      return rejected(
          pointerAt(parser),
          "malformed JSON" + where(e.getLocation()) + ": " + withoutSource(e.getOriginalMessage()));
    } finally {
      if (parser != null) {
        parser.close();
      }
    }
  }

  private static String withoutSource(String message) {
    return SOURCE.matcher(message).replaceAll("");
  }

  private static Parsed rejected(String pointer, String message) {
    return new Parsed(null, List.of(new Violation(pointer, message)));
  }

  private static String pointerAt(JsonParser parser) {
    return parser == null ? "" : parser.streamReadContext().pathAsPointer().toString();
  }

  private static String where(TokenStreamLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  // Jackson reports every limit with one exception type; its message says which limit it was.
  private static String limitMessage(StreamConstraintsException e) {
    String original = e.getOriginalMessage();
    String location = where(e.getLocation());
    if (original.contains("nesting depth")) {
      return "nested deeper than " + MAX_NESTING_DEPTH + " levels" + location;
    } else if (original.contains("String value length")) {
      return "string longer than " + MAX_STRING_LENGTH + " characters" + location;
    } else if (original.contains("Name length")) {
      return "property name longer than " + MAX_NAME_LENGTH + " characters" + location;
    } else if (original.contains("Number value length")) {
      return "number longer than " + MAX_NUMBER_LENGTH + " characters" + location;
    }
    return "document exceeds a size limit" + location + ": " + original;
  }

  /**
   * Whether every value can be stored in PostgreSQL's jsonb; fast, and allocates nothing, as nearly
   * every document is.
   */
  private static boolean isStorable(JsonNode node) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> property : node.properties()) {
        if (unstorableTextProblem(property.getKey()) != null || !isStorable(property.getValue())) {
          return false;
        }
      }
      return true;
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        if (!isStorable(node.get(i))) {
          return false;
        }
      }
      return true;
    } else if (node.isString()) {
      return unstorableTextProblem(node.stringValue()) == null;
    } else if (node.isBigDecimal()) {
      return numberProblem(node.decimalValue()) == null;
    }
    return true;
  }

  /** Finds, with their pointers, the values {@link #isStorable} refused. */
  private static void checkStorable(JsonNode node, String pointer, List<Violation> violations) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> property : node.properties()) {
        String child = JsonPointers.property(pointer, property.getKey());
        String problem = unstorableTextProblem(property.getKey());
        if (problem != null) {
          violations.add(new Violation(child, "property name " + problem));
        }
        checkStorable(property.getValue(), child, violations);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkStorable(node.get(i), JsonPointers.index(pointer, i), violations);
      }
    } else if (node.isString()) {
      String problem = unstorableTextProblem(node.stringValue());
      if (problem != null) {
        violations.add(new Violation(pointer, "string " + problem));
      }
    } else if (node.isBigDecimal()) {
      String problem = numberProblem(node.decimalValue());
      if (problem != null) {
        violations.add(new Violation(pointer, problem));
      }
    }
  }

  private static String numberProblem(BigDecimal value) {
    int exponent = value.precision() - value.scale();
    if (Math.abs(exponent) > MAX_EXPONENT || Math.abs(value.scale()) > MAX_EXPONENT) {
      return "number out of range (exponent beyond ±" + MAX_EXPONENT + ")";
    }
    return null;
  }

  private static String unstorableTextProblem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\u0000') {
        return "contains the NUL character (\\u0000), which cannot be stored";
      }
      if (Character.isHighSurrogate(ch)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "contains an unpaired UTF-16 surrogate, which is not valid Unicode";
      }
      if (Character.isLowSurrogate(ch)) {
        return "contains an unpaired UTF-16 surrogate, which is not valid Unicode";
      }
    }
    return null;
  }
}
