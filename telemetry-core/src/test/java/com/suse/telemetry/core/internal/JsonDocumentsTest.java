package com.suse.telemetry.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonDocumentsTest {

  private static JsonDocuments.Parsed parse(String json) {
    return JsonDocuments.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Violation onlyViolation(String json) {
    JsonDocuments.Parsed parsed = parse(json);
    assertThat(parsed.violations()).hasSize(1);
    return parsed.violations().get(0);
  }

  @Test
  void parsesValidJsonIntoATree() {
    JsonDocuments.Parsed parsed = parse("{\"a\": [1, 2.50, \"x\", null, true]}");

    assertThat(parsed.isValid()).isTrue();
    assertThat(JsonDocuments.write(parsed.root())).isEqualTo("{\"a\":[1,2.50,\"x\",null,true]}");
  }

  @Test
  void reportsMalformedJsonWithLineColumnAndPointer() {
    Violation violation = onlyViolation("{\n  \"payload\": [\n    {\"cpu_count\": 2,}\n  ]\n}");

    assertThat(violation.message())
        .startsWith("malformed JSON at line 3, column 21")
        .doesNotContain("Source");
    assertThat(violation.pointer()).isEqualTo("/payload/0/cpu_count");
  }

  @Test
  void leavesJacksonsSourceDescriptionOutOfMessages() {
    Violation violation = onlyViolation("{\"payload\": [1, 2}");

    assertThat(violation.message())
        .isEqualTo(
            "malformed JSON at line 1, column 18: Unexpected close marker '}':" + " expected ']'");
  }

  @Test
  void reportsAnEmptyBody() {
    assertThat(onlyViolation("  ").message()).contains("empty");
  }

  @Test
  void reportsTrailingContent() {
    assertThat(onlyViolation("{\"a\": 1} {\"b\": 2}").message()).startsWith("malformed JSON");
  }

  @Test
  void reportsNestingBeyondTheLimit() {
    String deep =
        "[".repeat(JsonDocuments.MAX_NESTING_DEPTH + 1)
            + "]".repeat(JsonDocuments.MAX_NESTING_DEPTH + 1);

    assertThat(onlyViolation(deep).message())
        .startsWith("nested deeper than " + JsonDocuments.MAX_NESTING_DEPTH + " levels");
    assertThat(
            parse(
                    "[".repeat(JsonDocuments.MAX_NESTING_DEPTH)
                        + "]".repeat(JsonDocuments.MAX_NESTING_DEPTH))
                .isValid())
        .isTrue();
  }

  @Test
  void reportsAStringBeyondTheLimit() {
    String json = "{\"a\": \"" + "x".repeat(JsonDocuments.MAX_STRING_LENGTH + 1) + "\"}";

    assertThat(onlyViolation(json).message())
        .startsWith("string longer than " + JsonDocuments.MAX_STRING_LENGTH + " characters");
  }

  @Test
  void reportsAPropertyNameBeyondTheLimit() {
    String json = "{\"" + "k".repeat(JsonDocuments.MAX_NAME_LENGTH + 1) + "\": 1}";

    assertThat(onlyViolation(json).message()).startsWith("property name longer than");
  }

  @Test
  void reportsANumberBeyondTheLimit() {
    String json = "{\"a\": " + "9".repeat(JsonDocuments.MAX_NUMBER_LENGTH + 1) + "}";

    assertThat(onlyViolation(json).message()).startsWith("number longer than");
  }

  @Test
  void reportsANumberPostgresCannotStore() {
    Violation violation = onlyViolation("{\"a\": [1e999999]}");

    assertThat(violation.pointer()).isEqualTo("/a/0");
    assertThat(violation.message()).startsWith("number out of range");
  }

  @Test
  void reportsDuplicateKeys() {
    Violation violation = onlyViolation("{\"payload\": {\"cpu_count\": 1, \"cpu_count\": 2}}");

    assertThat(violation.message())
        .isEqualTo("duplicate property \"cpu_count\" at line 1, column 43");
    assertThat(violation.pointer()).isEqualTo("/payload/cpu_count");
  }

  @Test
  void reportsEveryNulCharacterWithItsPointer() {
    JsonDocuments.Parsed parsed = parse("{\"a\": [\"ok\", \"x\\u0000y\"], \"b\\u0000\": 1}");

    assertThat(parsed.violations())
        .extracting(Violation::pointer)
        .containsExactly("/a/1", "/b\u0000");
    assertThat(parsed.violations().get(0).message()).contains("NUL");
  }

  @Test
  void reportsUnpairedSurrogatesButKeepsPairedOnes() {
    assertThat(parse("{\"a\": \"\\ud83d\\ude00\"}").isValid()).isTrue();
    assertThat(onlyViolation("{\"a\": \"\\ud83d\"}").message()).contains("unpaired");
    assertThat(onlyViolation("{\"a\": \"\\ude00x\"}").message()).contains("unpaired");
  }

  @Test
  void reportsInvalidUtf8() {
    byte[] json = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

    assertThat(JsonDocuments.parse(json).violations())
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .startsWith("malformed JSON");
  }

  @Test
  void pointersEscapeSlashAndTilde() {
    Violation violation = onlyViolation("{\"a/b~c\": \"\\u0000\"}");

    assertThat(violation.pointer()).isEqualTo("/a~1b~0c");
  }

  @Test
  void rethrowsFailuresOfTheStreamItself() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("connection reset");
          }
        };

    assertThatThrownBy(() -> JsonDocuments.parse(failing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("connection reset");
  }

  @Test
  void canonicalFormSortsPropertiesAndDropsWhitespace() {
    JsonNode a = parse("{\"b\": 1, \"a\": {\"d\": [1, 2], \"c\": \"x\"}}").root();
    JsonNode b = parse("{ \"a\": {\"c\": \"x\", \"d\": [1,2]},\n \"b\": 1 }").root();

    assertThat(new String(JsonDocuments.writeCanonical(a), StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":{\"c\":\"x\",\"d\":[1,2]},\"b\":1}");
    assertThat(JsonDocuments.writeCanonical(a)).isEqualTo(JsonDocuments.writeCanonical(b));
  }
}
