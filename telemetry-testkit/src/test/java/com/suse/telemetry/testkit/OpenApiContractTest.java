package com.suse.telemetry.testkit;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check finds each way an answer can depart from a document, and only those. */
class OpenApiContractTest {

  private static final OpenApiContract CONTRACT =
      OpenApiContract.of(
          """
          {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {
              "/items": {
                "post": {
                  "requestBody": {"content": {"application/json": {"schema": {"type": "array"}}}},
                  "responses": {
                    "202": {"$ref": "#/components/responses/Counted"},
                    "503": {
                      "description": "later",
                      "headers": {"Retry-After": {"$ref": "#/components/headers/Retry-After"}},
                      "content": {"application/problem+json": {"schema": {"type": "object"}}}
                    }
                  }
                }
              },
              "/items/{id}": {
                "get": {"responses": {"204": {"description": "none"}}},
                "delete": {"responses": {"204": {"description": "none"}}}
              },
              "/items/all": {
                "get": {
                  "responses": {
                    "200": {
                      "description": "text",
                      "content": {"text/*": {"schema": {"const": "all"}}}
                    }
                  }
                }
              }
            },
            "x-unrouted-responses": {
              "404": {"description": "no route"},
              "405": {"description": "no method", "headers": {"Allow": {"required": true}}}
            },
            "components": {
              "schemas": {
                "Count": {
                  "type": "object",
                  "properties": {"n": {"type": "integer", "minimum": 0}},
                  "required": ["n"],
                  "additionalProperties": false
                }
              },
              "headers": {
                "Retry-After": {"required": true, "schema": {"type": "integer", "minimum": 0}}
              },
              "responses": {
                "Counted": {
                  "description": "counted",
                  "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Count"}}
                  }
                }
              }
            }
          }
          """);

  private static HttpExchange exchange(
      String method, String path, int status, String contentType, String body, String... headers) {
    Map<String, List<String>> all = new HashMap<>();
    if (contentType != null) {
      all.put("content-type", List.of(contentType));
    }
    for (int i = 0; i < headers.length; i += 2) {
      all.put(headers[i], List.of(headers[i + 1]));
    }
    return new HttpExchange(method, path, status, all, body);
  }

  @Test
  void listsEveryOperation() {
    assertThat(CONTRACT.operations())
        .containsExactly("DELETE /items/{id}", "GET /items/all", "GET /items/{id}", "POST /items");
  }

  @Test
  void acceptsWhatTheDocumentDescribes() {
    assertThat(
            CONTRACT.violations(exchange("POST", "/items", 202, "application/json", "{\"n\":2}")))
        .isEmpty();
    assertThat(
            CONTRACT.violations(
                exchange(
                    "POST",
                    "/items",
                    503,
                    "application/problem+json; charset=utf-8",
                    "{}",
                    "Retry-After",
                    "5")))
        .isEmpty();
    assertThat(CONTRACT.violations(exchange("GET", "/items/a%20b", 204, null, ""))).isEmpty();
    assertThat(CONTRACT.violations(exchange("GET", "/items/all", 200, "text/plain", "all")))
        .as("a literal path wins over a template")
        .isEmpty();
    assertThat(CONTRACT.violations(exchange("GET", "/nothing", 404, null, ""))).isEmpty();
    assertThat(
            CONTRACT.violations(exchange("PUT", "/items/1", 405, null, "", "Allow", "GET, DELETE")))
        .isEmpty();
  }

  @Test
  void findsEveryWayAnAnswerDeparts() {
    assertThat(CONTRACT.violations(exchange("POST", "/items", 201, "application/json", "{}")))
        .singleElement(as(STRING))
        .contains("status not documented (documented: 202, 503)");
    assertThat(CONTRACT.violations(exchange("POST", "/items", 202, "text/plain", "{\"n\":2}")))
        .singleElement(as(STRING))
        .contains("media type 'text/plain' not documented");
    assertThat(
            CONTRACT.violations(exchange("POST", "/items", 202, "application/json", "{\"n\":-1}")))
        .singleElement(as(STRING))
        .contains("body at '/n'");
    assertThat(
            CONTRACT.violations(
                exchange("POST", "/items", 202, "application/json", "{\"n\":1,\"m\":2}")))
        .hasSize(1);
    assertThat(CONTRACT.violations(exchange("POST", "/items", 202, "application/json", "{n}")))
        .singleElement(as(STRING))
        .contains("not JSON");
    assertThat(
            CONTRACT.violations(exchange("POST", "/items", 503, "application/problem+json", "{}")))
        .singleElement(as(STRING))
        .contains("header Retry-After is required");
    assertThat(
            CONTRACT.violations(
                exchange(
                    "POST", "/items", 503, "application/problem+json", "{}", "Retry-After", "-1")))
        .singleElement(as(STRING))
        .contains("header Retry-After");
    assertThat(CONTRACT.violations(exchange("GET", "/items/1", 204, "text/plain", "body")))
        .singleElement(as(STRING))
        .contains("describes no body");
    assertThat(CONTRACT.violations(exchange("GET", "/items/all", 200, "text/plain", "some")))
        .hasSize(1);
    assertThat(CONTRACT.violations(exchange("GET", "/nothing", 200, null, "")))
        .singleElement(as(STRING))
        .contains("no path of the document matches, and the answer is not 404");
    assertThat(CONTRACT.violations(exchange("PUT", "/items/1", 405, null, "", "Allow", "GET")))
        .singleElement(as(STRING))
        .contains("Allow says [GET], the document has");
    assertThat(CONTRACT.violations(exchange("PUT", "/items/1", 405, null, "")))
        .anySatisfy(violation -> assertThat(violation).contains("header Allow is required"));
  }

  @Test
  void checksRequestBodies() {
    assertThat(CONTRACT.requestViolations("POST", "/items", "application/json", "[]")).isEmpty();
    assertThat(CONTRACT.requestViolations("POST", "/items", "application/json", "{}")).hasSize(1);
    assertThat(CONTRACT.requestViolations("POST", "/items", "text/plain", "[]")).hasSize(1);
    assertThatThrownBy(() -> CONTRACT.requestViolations("PUT", "/items", "application/json", "[]"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRecorderFailsListingEveryDepartureOnlyWhenThereIsOne() {
    OpenApiContract.Recorder recorder = CONTRACT.recorder();
    recorder.record(exchange("POST", "/items", 202, "application/json", "{\"n\":2}"));
    recorder.assertConforming();

    recorder.record(exchange("POST", "/items", 500, "application/json", "{}"));

    assertThat(recorder.exchanges()).hasSize(2);
    assertThatThrownBy(recorder::assertConforming)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 answer(s) of 2 depart from the OpenAPI document")
        .hasMessageContaining("POST /items -> 500: status not documented");
  }

  @Test
  void findsSchemasWithTyposOrReferencesToNothing() {
    assertThat(CONTRACT.schemaProblems()).isEmpty();

    OpenApiContract broken =
        OpenApiContract.of(
            """
            {
              "openapi": "3.1.0",
              "info": {"title": "t", "version": "1"},
              "paths": {
                "/a": {
                  "get": {
                    "responses": {
                      "200": {
                        "description": "a",
                        "content": {
                          "application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}
                        }
                      }
                    }
                  }
                }
              },
              "components": {
                "schemas": {
                  "Typo": {"type": "object", "requried": ["a"], "x-fine": true},
                  "Fine": {"type": "object", "properties": {"schema": {"example": "x"}}}
                }
              }
            }
            """);

    assertThat(broken.schemaProblems())
        .hasSize(2)
        .anySatisfy(problem -> assertThat(problem).startsWith("/paths/~1a/get/responses/200"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .startsWith("/components/schemas/Typo")
                    .contains("unknown keyword 'requried'"));
  }

  @Test
  void refusesWhatIsNotAnOpenApi31Document() {
    assertThatThrownBy(() -> OpenApiContract.of("{\"openapi\":\"3.0.3\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OpenApiContract.of("not json"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
