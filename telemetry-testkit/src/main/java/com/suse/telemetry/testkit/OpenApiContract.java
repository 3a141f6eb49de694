package com.suse.telemetry.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * An OpenAPI 3.1 document held against what a server really does: which operations it has, and
 * whether an answer it gave (status, media type, required headers, body) is one the document
 * describes. Bodies and headers are validated against the document's schemas, which are JSON Schema
 * 2020-12 in the OpenAPI 3.1 dialect (see {@link DocumentSchemas}).
 *
 * <p>A request no operation matches is checked against the responses the document lists under its
 * {@code x-unrouted-responses} extension: {@code 404} for a path it lacks, {@code 405} (whose
 * {@code Allow} must name the path's methods) for a method the path lacks.
 *
 * <p>Immutable and thread-safe once built; schemas are compiled on first use.
 */
public final class OpenApiContract {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private final JsonNode document;
  private final List<PathTemplate> paths;
  private final DocumentSchemas schemas;

  private OpenApiContract(JsonNode document) {
    if (!document.path("openapi").asString("").startsWith("3.1.")) {
      throw new IllegalArgumentException("not an OpenAPI 3.1 document");
    }
    this.document = document;
    this.paths =
        document.path("paths").propertyNames().stream()
            .map(PathTemplate::of)
            // A literal path wins over a template that also matches (OpenAPI's rule).
            .sorted(Comparator.comparing(PathTemplate::isTemplate))
            .toList();
    this.schemas = new DocumentSchemas(document);
  }

  /** The document {@code json}. */
  public static OpenApiContract of(String json) {
    try {
      return new OpenApiContract(JSON.readTree(json));
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the document is not JSON: " + e.getMessage(), e);
    }
  }

  /** The document at {@code resource} on the class path. */
  public static OpenApiContract fromClasspath(String resource) {
    try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(resource + " is not on the class path");
      }
      return new OpenApiContract(JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every operation of the document, as {@code METHOD /path}, path parameters in braces. */
  public SortedSet<String> operations() {
    SortedSet<String> operations = new TreeSet<>();
    for (PathTemplate path : paths) {
      for (String method : methods(path)) {
        operations.add(method + " " + path.template());
      }
    }
    return operations;
  }

  /**
   * What is wrong with the document's schemas: each one (of a request or response body, a
   * parameter, a header, or the components) that cannot be compiled, because it uses a keyword that
   * is neither JSON Schema's, OpenAPI's nor an {@code x-} extension, or refers to something the
   * document does not hold. Empty for a sound document.
   */
  public List<String> schemaProblems() {
    List<String> pointers = new ArrayList<>();
    collectSchemas(document.path("paths"), "/paths", pointers);
    collectSchemas(document.path("components"), "/components", pointers);
    List<String> problems = new ArrayList<>();
    for (String pointer : pointers) {
      try {
        schemas.compile(pointer);
      } catch (RuntimeException e) {
        problems.add(pointer + ": " + e.getMessage());
      }
    }
    return problems;
  }

  /** The pointers of every schema under {@code node}, without descending into schemas. */
  private static void collectSchemas(JsonNode node, String pointer, List<String> pointers) {
    if (!node.isObject()) {
      return;
    }
    for (String name : node.propertyNames()) {
      String at = pointer + "/" + escape(name);
      if (name.equals("schema")) {
        pointers.add(at);
      } else if (pointer.equals("/components") && name.equals("schemas")) {
        node.get(name).propertyNames().forEach(schema -> pointers.add(at + "/" + escape(schema)));
      } else {
        collectSchemas(node.get(name), at, pointers);
      }
    }
  }

  /** A recorder of exchanges to hold against this document; one per server under test. */
  public Recorder recorder() {
    return new Recorder(this);
  }

  /** How {@code exchange} departs from the document; empty if the document describes it. */
  public List<String> violations(HttpExchange exchange) {
    requireNonNull(exchange, "exchange");
    Optional<PathTemplate> path =
        paths.stream().filter(p -> p.matches(exchange.path())).findFirst();
    if (path.isEmpty()) {
      return unrouted(exchange, "404", "no path of the document matches");
    }
    String item = "/paths/" + escape(path.get().template());
    JsonNode operation = document.at(item).path(exchange.method().toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      List<String> violations =
          new ArrayList<>(
              unrouted(exchange, "405", "the path has no " + exchange.method() + " operation"));
      Set<String> allowed = Set.copyOf(methods(path.get()));
      Set<String> said =
          exchange.header("Allow").stream()
              .flatMap(allow -> Pattern.compile("\\s*,\\s*").splitAsStream(allow.trim()))
              .filter(method -> !method.isEmpty())
              .map(method -> method.toUpperCase(Locale.ROOT))
              .collect(Collectors.toSet());
      if (exchange.status() == 405 && !said.equals(allowed)) {
        violations.add(exchange + ": Allow says " + said + ", the document has " + allowed);
      }
      return violations;
    }
    String responses = item + "/" + exchange.method().toLowerCase(Locale.ROOT) + "/responses";
    String status = Integer.toString(exchange.status());
    for (String key : List.of(status, status.charAt(0) + "XX", "default")) {
      if (document.at(responses).has(key)) {
        return response(exchange, responses + "/" + key);
      }
    }
    return List.of(
        exchange
            + ": status not documented (documented: "
            + String.join(", ", document.at(responses).propertyNames())
            + ")");
  }

  private List<String> unrouted(HttpExchange exchange, String status, String why) {
    if (!Integer.toString(exchange.status()).equals(status)) {
      return List.of(exchange + ": " + why + ", and the answer is not " + status);
    }
    String pointer = "/x-unrouted-responses/" + status;
    if (document.at(pointer).isMissingNode()) {
      return List.of(exchange + ": " + why + ", and the document lists no " + status + " for it");
    }
    return response(exchange, pointer);
  }

  /** Checks {@code exchange} against the response object at {@code pointer}. */
  private List<String> response(HttpExchange exchange, String pointer) {
    String at = resolve(pointer);
    JsonNode response = document.at(at);
    List<String> violations = new ArrayList<>();
    for (String name : response.path("headers").propertyNames()) {
      String header = resolve(at + "/headers/" + escape(name));
      Optional<String> value = exchange.header(name);
      if (value.isEmpty()) {
        if (document.at(header).path("required").asBoolean(false)) {
          violations.add(exchange + ": header " + name + " is required");
        }
      } else if (document.at(header).has("schema")) {
        schemas
            .validate(header + "/schema", headerValue(value.get()))
            .forEach(error -> violations.add(exchange + ": header " + name + " " + error));
      }
    }
    JsonNode content = response.path("content");
    if (content.isMissingNode()) {
      if (!exchange.body().isEmpty()) {
        violations.add(exchange + ": the document describes no body, yet one came");
      }
      return violations;
    }
    String mediaType = exchange.mediaType();
    Optional<String> key = mediaTypeKey(content, mediaType);
    if (key.isEmpty()) {
      violations.add(
          exchange
              + ": media type '"
              + mediaType
              + "' not documented (documented: "
              + String.join(", ", content.propertyNames())
              + ")");
      return violations;
    }
    String schema = at + "/content/" + escape(key.get()) + "/schema";
    violations.addAll(body(schema, mediaType, exchange.body(), exchange + ": body"));
    return violations;
  }

  /**
   * How a request's body departs from the operation's request body; empty if the document describes
   * it. For checking the document's request schemas against what sources send.
   *
   * @throws IllegalArgumentException if the document has no such operation
   */
  public List<String> requestViolations(String method, String path, String mediaType, String body) {
    String operation =
        paths.stream()
            .filter(p -> p.matches(path))
            .findFirst()
            .map(p -> "/paths/" + escape(p.template()) + "/" + method.toLowerCase(Locale.ROOT))
            .filter(pointer -> !document.at(pointer).isMissingNode())
            .orElseThrow(() -> new IllegalArgumentException("no operation " + method + " " + path));
    String request = resolve(operation + "/requestBody");
    Optional<String> key = mediaTypeKey(document.at(request).path("content"), mediaType);
    if (key.isEmpty()) {
      return List.of(method + " " + path + ": media type '" + mediaType + "' not documented");
    }
    String schema = request + "/content/" + escape(key.get()) + "/schema";
    return body(schema, mediaType, body, method + " " + path + ": request body");
  }

  private List<String> body(String schema, String mediaType, String text, String what) {
    if (document.at(schema).isMissingNode()) {
      return List.of();
    }
    JsonNode body;
    if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
      try {
        body = JSON.readTree(text);
      } catch (JacksonException e) {
        return List.of(what + " is not JSON: " + e.getOriginalMessage());
      }
    } else {
      body = StringNode.valueOf(text);
    }
    return schemas.validate(schema, body).stream().map(error -> what + " " + error).toList();
  }

  /** The key of {@code content} that describes {@code mediaType}, exactly or by a wildcard. */
  private static Optional<String> mediaTypeKey(JsonNode content, String mediaType) {
    return content.propertyNames().stream()
        .filter(
            documented ->
                documented.equals(mediaType)
                    || documented.equals("*/*")
                    || (documented.endsWith("/*")
                        && mediaType.startsWith(documented.substring(0, documented.length() - 1))))
        .findFirst();
  }

  /** A header's value as the JSON its schema expects: a number where it is one, else text. */
  private static JsonNode headerValue(String value) {
    return value.matches("-?[0-9]{1,18}") ? JSON.readTree(value) : StringNode.valueOf(value);
  }

  /** {@code pointer}, or where the {@code $ref} of the object there points, within the document. */
  private String resolve(String pointer) {
    String at = pointer;
    for (int hops = 0; hops < 10; hops++) {
      JsonNode ref = document.at(at).path("$ref");
      if (!ref.isString()) {
        return at;
      }
      String target = ref.stringValue();
      if (!target.startsWith("#")) {
        throw new IllegalArgumentException("a reference out of the document: " + target);
      }
      at = target.substring(1);
      if (document.at(at).isMissingNode()) {
        throw new IllegalArgumentException("a reference to nothing: " + target);
      }
    }
    throw new IllegalArgumentException("references in a loop at " + pointer);
  }

  private List<String> methods(PathTemplate path) {
    JsonNode item = document.path("paths").path(path.template());
    return METHODS.stream()
        .filter(item::has)
        .map(method -> method.toUpperCase(Locale.ROOT))
        .toList();
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** A path of the document, and the raw request paths it matches. */
  private record PathTemplate(String template, Pattern pattern) {

    static PathTemplate of(String template) {
      StringBuilder regex = new StringBuilder();
      for (String part : template.split("(?=\\{)|(?<=\\})")) {
        regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
      }
      return new PathTemplate(template, Pattern.compile(regex.toString()));
    }

    boolean isTemplate() {
      return template.contains("{");
    }

    boolean matches(String path) {
      return pattern.matcher(path).matches();
    }
  }

  /**
   * The exchanges an HTTP test client received, to be held against the document once the tests are
   * done. Thread-safe.
   */
  public static final class Recorder {

    private final OpenApiContract contract;
    private final ConcurrentLinkedQueue<HttpExchange> exchanges = new ConcurrentLinkedQueue<>();

    private Recorder(OpenApiContract contract) {
      this.contract = contract;
    }

    /** Records {@code response}'s exchange and returns the response. */
    public <T> HttpResponse<T> record(HttpResponse<T> response) {
      record(HttpExchange.of(response));
      return response;
    }

    /** Records {@code exchange}. */
    public void record(HttpExchange exchange) {
      exchanges.add(requireNonNull(exchange, "exchange"));
    }

    /** Every exchange recorded so far, in the order recorded. */
    public List<HttpExchange> exchanges() {
      return List.copyOf(exchanges);
    }

    /**
     * Checks every exchange recorded so far against the document.
     *
     * @throws AssertionError listing every way the exchanges depart from the document
     */
    public void assertConforming() {
      List<String> violations = new ArrayList<>();
      for (HttpExchange exchange : exchanges) {
        violations.addAll(contract.violations(exchange));
      }
      if (!violations.isEmpty()) {
        throw new AssertionError(
            violations.size()
                + " answer(s) of "
                + exchanges.size()
                + " depart from the OpenAPI document:\n  "
                + violations.stream().distinct().limit(50).collect(Collectors.joining("\n  ")));
      }
    }
  }
}
