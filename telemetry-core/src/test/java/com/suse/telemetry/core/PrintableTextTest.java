package com.suse.telemetry.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrintableTextTest {

  @Test
  void keepsOrdinaryTextAsItIs() {
    assertThat(PrintableText.of("/payload/0/cpu_count: größer als 0 ✓ 😀"))
        .isEqualTo("/payload/0/cpu_count: größer als 0 ✓ 😀");
  }

  @Test
  void escapesWhatCouldForgeALineOrDriveATerminal() {
    assertThat(PrintableText.of("a\nb\rc\td\\e")).isEqualTo("a\\nb\\rc\\td\\\\e");
    assertThat(PrintableText.of("\u0000\u001b[31mred\u007f\u009b\u202e\u2028\ud800"))
        .isEqualTo("\\u0000\\u001B[31mred\\u007F\\u009B\\u202E\\u2028\\uD800");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r", "\u0000", "\u001b", "\u0085", "\u2029"})
  void leavesNoControlCharacterBehind(String control) {
    String printable = PrintableText.of("x" + control + "[ERROR] forged");

    assertThat(printable.chars()).noneMatch(Character::isISOControl);
    assertThat(printable).doesNotContain(control);
  }

  @Test
  void cutsLongTextSayingHowMuchWasLeftOut() {
    String key = "k".repeat(100_000);

    assertThat(PrintableText.of(key)).isEqualTo("k".repeat(200) + "...(99800 more characters)");
    assertThat(PrintableText.of(key, 10)).isEqualTo("k".repeat(10) + "...(99990 more characters)");
  }
}
