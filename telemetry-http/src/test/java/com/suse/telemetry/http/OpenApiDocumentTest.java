package com.suse.telemetry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.suse.telemetry.testkit.OpenApiContract;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document against the server: the same routes, and the served document stands alone.
 * Every answer of every HTTP test is held against it by {@link TestServer}.
 */
class OpenApiDocumentTest {

  private static final Path SCHEMAS = Path.of("..", "schemas");
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void documentsEveryRouteTheServerHasAndNoOther() {
    assertThat(Set.copyOf(server.server.routes()))
        .isNotEmpty()
        .isEqualTo(TestServer.CONTRACT.operations());
  }

  @Test
  void servesTheRepositorysDocumentWithTheSchemasItRefersToInPlace() throws IOException {
    HttpResponse<String> answer = server.get(OpenApiRoutes.PATH);
    assertThat(answer.statusCode()).isEqualTo(200);
    ObjectNode served = (ObjectNode) Responses.JSON.readTree(answer.body());

    ObjectNode schemas = (ObjectNode) served.path("components").path("schemas");
    assertThat(schemas.get("Envelope"))
        .isEqualTo(Responses.JSON.readTree(SCHEMAS.resolve("envelope.schema.json").toFile()));
    assertThat(schemas.get("TrentoHosts"))
        .isEqualTo(
            Responses.JSON.readTree(
                SCHEMAS.resolve("trento/host_telemetry/v1.schema.json").toFile()));
    ObjectNode repository = (ObjectNode) repositoryDocument();
    ObjectNode repositorySchemas = (ObjectNode) repository.path("components").path("schemas");
    // The repository refers to each by the $id the served document holds.
    assertThat(repositorySchemas.path("Envelope").path("$ref").asString())
        .isEqualTo(schemas.path("Envelope").path("$id").asString());
    assertThat(repositorySchemas.path("TrentoHosts").path("$ref").asString())
        .isEqualTo(schemas.path("TrentoHosts").path("$id").asString());
    for (String replaced : List.of("Envelope", "TrentoHosts")) {
      schemas.remove(replaced);
      repositorySchemas.remove(replaced);
    }
    assertThat(served).isEqualTo(repository);
  }

  @Test
  void theServedDocumentStandsAlone() {
    JsonNode served = Responses.JSON.readTree(server.get(OpenApiRoutes.PATH).body());
    List<String> ids = new ArrayList<>();
    List<Reference> refs = new ArrayList<>();
    collect(served, served, ids, refs);

    assertThat(refs)
        .hasSizeGreaterThan(20)
        .allSatisfy(
            ref -> {
              if (ref.target().startsWith("#")) {
                // Within the schema resource (or the document) that holds it.
                assertThat(ref.resource().at(ref.target().substring(1)).isMissingNode())
                    .as(ref.target())
                    .isFalse();
              } else if (!ref.target().startsWith("https://json-schema.org/draft/2020-12/")) {
                // Anything else is a schema the document holds.
                assertThat(ids).as(ref.target()).contains(ref.target());
              }
            });
  }

  /** A {@code $ref}, and the schema resource (or document) its fragments point into. */
  private record Reference(JsonNode resource, String target) {}

  @Test
  void everySchemaOfTheServedDocumentCompiles() {
    OpenApiContract served = OpenApiContract.of(server.get(OpenApiRoutes.PATH).body());

    assertThat(served.schemaProblems()).isEmpty();
  }

  @Test
  void theServedDocumentTakesTheExamplesSourcesSend() throws IOException {
    OpenApiContract served = OpenApiContract.of(server.get(OpenApiRoutes.PATH).body());
    try (Stream<Path> envelopes = Files.list(SCHEMAS.resolve("examples/envelope/valid"));
        Stream<Path> hosts =
            Files.list(SCHEMAS.resolve("trento/host_telemetry/examples/v1/valid"))) {
      for (Path envelope : envelopes.toList()) {
        assertThat(
                served.requestViolations(
                    "POST", "/api/v1/telemetry", "application/json", Files.readString(envelope)))
            .as(envelope.toString())
            .isEmpty();
      }
      for (Path legacy : hosts.toList()) {
        for (String path : List.of("/api/collect/hosts", "/api/collect/host")) {
          assertThat(
                  served.requestViolations(
                      "POST", path, "application/json", Files.readString(legacy)))
              .as(legacy + " to " + path)
              .isEmpty();
        }
      }
    }
    assertThat(
            served.requestViolations(
                "POST", "/api/v1/telemetry", "application/json", "{\"application\":\"x\"}"))
        .isNotEmpty();
    assertThat(served.requestViolations("POST", "/api/collect/hosts", "application/json", "[1]"))
        .isNotEmpty();
  }

  private static JsonNode repositoryDocument() throws IOException {
    try (InputStream in =
        OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(OpenApiRoutes.DOCUMENT)) {
      return Responses.JSON.readTree(in);
    }
  }

  private static void collect(
      JsonNode node, JsonNode resource, List<String> ids, List<Reference> refs) {
    JsonNode inside = resource;
    if (node.isObject()) {
      if (node.path("$id").isString()) {
        ids.add(node.get("$id").stringValue());
        inside = node;
      }
      if (node.path("$ref").isString()) {
        refs.add(new Reference(inside, node.get("$ref").stringValue()));
      }
    }
    for (JsonNode child : node) {
      collect(child, inside, ids, refs);
    }
  }
}
