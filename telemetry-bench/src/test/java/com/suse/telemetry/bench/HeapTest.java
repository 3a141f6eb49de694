package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeapTest {

  @Test
  void readsMebibytesAndGibibytesAsTheJvmDoes() {
    assertThat(Heap.parse("256m").mebibytes()).isEqualTo(256);
    assertThat(Heap.parse("512M").mebibytes()).isEqualTo(512);
    assertThat(Heap.parse("2g").mebibytes()).isEqualTo(2048);
    assertThat(Heap.parse("1G").jvmOption()).isEqualTo("-Xmx1024m");
  }

  @Test
  void refusesWhatIsNotAHeapSize() {
    assertThatThrownBy(() -> Heap.parse("256")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Heap.parse("256k")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Heap.parse("-1g")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Heap.parse("8m"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too small");
  }
}
