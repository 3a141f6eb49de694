package com.suse.telemetry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.suse.telemetry.core.TelemetryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {

  private static final long LARGE = 1 << 20;

  @TempDir Path directory;

  @Test
  void keepsEnvelopesAcrossAReopenOldestFirstAndForgetsRemovedOnes() throws IOException {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID third = UUID.randomUUID();
    try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
      spool.add(first, body("first"));
      spool.add(second, body("second"));
      spool.add(third, body("third"));
      spool.remove(second);
    }

    try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
      assertThat(spool.ids()).containsExactly(first, third);
      assertThat(spool.read(first)).hasValue(body("first"));
      assertThat(spool.read(third)).hasValue(body("third"));
      assertThat(spool.read(second)).isEmpty();
      assertThat(spool.status().envelopes()).isEqualTo(2);
    }
  }

  @Test
  void readsATornLastFrameUpToTheLastWholeEnvelopeWhereverTheCutFalls() throws IOException {
    List<UUID> ids = new ArrayList<>();
    try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
      for (int i = 0; i < 3; i++) {
        ids.add(UUID.randomUUID());
        spool.add(ids.get(i), body("envelope " + i));
      }
    }
    Path segment = onlySegment();
    byte[] whole = Files.readAllBytes(segment);
    int lastFrame = (int) SpoolFrames.envelopeSize(body("envelope 2").length);

    // Every length a crash can leave the last frame at: from its first byte to all but its last.
    for (int cut = 1; cut < lastFrame; cut++) {
      writeSegment(segment, whole, whole.length - cut);
      try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
        assertThat(spool.ids()).as("cut %d bytes", cut).containsExactly(ids.get(0), ids.get(1));
        assertThat(spool.read(ids.get(1))).hasValue(body("envelope 1"));
      }
      deleteSegmentsBut(segment);
    }
  }

  @Test
  void stopsReadingAFileAtAFrameWhoseChecksumFails() throws IOException {
    List<UUID> ids = new ArrayList<>();
    try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
      for (int i = 0; i < 3; i++) {
        ids.add(UUID.randomUUID());
        spool.add(ids.get(i), body("envelope " + i));
      }
    }
    Path segment = onlySegment();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 3] ^= 0x10;
    Files.write(segment, bytes);

    try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
      assertThat(spool.ids()).containsExactly(ids.get(0), ids.get(1));
    }
  }

  @Test
  void ignoresGarbageAfterTheLastFrameAndAFileThatIsNoSegment() throws IOException {
    UUID id = UUID.randomUUID();
    try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
      spool.add(id, body("kept"));
    }
    Files.write(onlySegment(), new byte[] {'E', 0, 0}, StandardOpenOption.APPEND);
    Files.writeString(directory.resolve("segment-00000000000000000099.spool"), "not a spool");

    try (DiskSpool spool = DiskSpool.open(directory, LARGE)) {
      assertThat(spool.ids()).containsExactly(id);
    }
  }

  @Test
  void dropsTheOldestToStayWithinItsBoundAndCountsThem() throws IOException {
    List<UUID> ids = new ArrayList<>();
    long bound = 2000;
    try (DiskSpool spool = DiskSpool.open(directory, bound)) {
      for (int i = 0; i < 20; i++) {
        ids.add(UUID.randomUUID());
        assertThat(spool.add(ids.get(i), new byte[100])).isTrue();
        assertThat(spool.status().bytes()).isLessThanOrEqualTo(bound);
        assertThat(filesSize()).isEqualTo(spool.status().bytes());
      }
      SpoolStatus status = spool.status();
      assertThat(status.droppedEnvelopes()).isPositive();
      assertThat(status.envelopes() + status.droppedEnvelopes()).isEqualTo(20);
      assertThat(spool.ids()).containsExactlyElementsOf(ids.subList(20 - status.envelopes(), 20));
    }
  }

  @Test
  void neverDropsWhenWhatIsRemovedMakesRoom() throws IOException {
    try (DiskSpool spool = DiskSpool.open(directory, 2000)) {
      for (int i = 0; i < 200; i++) {
        UUID id = UUID.randomUUID();
        spool.add(id, new byte[100]);
        spool.remove(id);
      }
      assertThat(spool.status()).isEqualTo(new SpoolStatus(0, spool.status().bytes(), 0));
      assertThat(spool.status().bytes()).isLessThanOrEqualTo(2000);
    }
  }

  @Test
  void refusesAnEnvelopeLargerThanTheWholeSpool() throws IOException {
    try (DiskSpool spool = DiskSpool.open(directory, 100)) {
      assertThat(spool.add(UUID.randomUUID(), new byte[100])).isFalse();
      assertThat(spool.status()).isEqualTo(new SpoolStatus(0, 8, 1));
    }
  }

  @Test
  void oneSpoolPerDirectoryAtATime() throws IOException {
    DiskSpool first = DiskSpool.open(directory, LARGE);
    assertThatThrownBy(() -> DiskSpool.open(directory, LARGE))
        .isInstanceOf(TelemetryException.class)
        .hasMessageContaining("in use");
    first.close();
    DiskSpool.open(directory, LARGE).close();
  }

  private static byte[] body(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".spool")).sorted().toList();
    }
  }

  /** The one segment holding envelopes; each opening adds an empty one after it. */
  private Path onlySegment() throws IOException {
    return segments().stream()
        .filter(f -> f.toFile().length() > 8)
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one segment with envelopes");
            })
        .orElseThrow();
  }

  private void deleteSegmentsBut(Path keep) throws IOException {
    for (Path segment : segments()) {
      if (!segment.equals(keep)) {
        Files.delete(segment);
      }
    }
  }

  private long filesSize() throws IOException {
    long size = 0;
    for (Path segment : segments()) {
      size += Files.size(segment);
    }
    return size;
  }

  private static void writeSegment(Path segment, byte[] bytes, int length) throws IOException {
    try (FileChannel channel =
        FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.wrap(bytes, 0, length));
    }
  }
}
