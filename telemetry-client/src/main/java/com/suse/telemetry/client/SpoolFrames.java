package com.suse.telemetry.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The spool's file format. A segment file is a magic header, then frames of {@code kind (1 byte),
 * length (4), CRC32C of kind, length and body (4), body}. An envelope frame's body is its id (16
 * bytes) then its gzipped bytes; a removal frame's body is an id. A frame that does not check out
 * ends the reading of its file, so a write cut off by a crash loses nothing before it.
 */
final class SpoolFrames {

  /** The header of every segment file. */
  static final byte[] MAGIC = "TSPOOL1\n".getBytes(StandardCharsets.US_ASCII);

  private static final byte ENVELOPE = 'E';
  private static final byte REMOVAL = 'R';
  private static final int HEADER = 1 + 4 + 4;
  private static final int ID_BYTES = 16;

  private SpoolFrames() {}

  /** One whole frame read from a file. */
  record Frame(boolean envelope, UUID id, int bodyOffset, int bodyLength) {}

  /** Receives each whole frame, in file order. */
  @FunctionalInterface
  interface FrameReader {
    void read(Frame frame);
  }

  /** How many bytes the frame of an envelope of {@code bodyLength} gzipped bytes takes. */
  static long envelopeSize(int bodyLength) {
    return HEADER + ID_BYTES + (long) bodyLength;
  }

  /** Where, in an envelope frame starting at {@code frameStart}, its gzipped bytes begin. */
  static long bodyOffset(long frameStart) {
    return frameStart + HEADER + ID_BYTES;
  }

  /** The frame of envelope {@code id} with its gzipped {@code body}. */
  static ByteBuffer envelope(UUID id, byte[] body) {
    return frame(ENVELOPE, id, body);
  }

  /** The frame saying envelope {@code id} is done. */
  static ByteBuffer removal(UUID id) {
    return frame(REMOVAL, id, new byte[0]);
  }

  /**
   * Hands every whole frame of a segment file's {@code data} to {@code reader}, and returns where
   * the whole frames end: the file's length unless its end is torn or damaged, 0 if it does not
   * even start with the magic header.
   */
  static int read(byte[] data, FrameReader reader) {
    if (data.length < MAGIC.length
        || !Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return 0;
    }
    ByteBuffer in = ByteBuffer.wrap(data);
    int position = MAGIC.length;
    while (data.length - position >= HEADER) {
      byte kind = in.get(position);
      int length = in.getInt(position + 1);
      int checksum = in.getInt(position + 5);
      boolean known =
          (kind == ENVELOPE && length > ID_BYTES) || (kind == REMOVAL && length == ID_BYTES);
      if (!known
          || length > data.length - position - HEADER
          || checksum != checksum(data, position, length)) {
        break;
      }
      int body = position + HEADER;
      reader.read(
          new Frame(
              kind == ENVELOPE,
              new UUID(in.getLong(body), in.getLong(body + 8)),
              body + ID_BYTES,
              length - ID_BYTES));
      position = body + length;
    }
    return position;
  }

  private static ByteBuffer frame(byte kind, UUID id, byte[] payload) {
    int length = ID_BYTES + payload.length;
    ByteBuffer frame = ByteBuffer.allocate(HEADER + length);
    frame.put(kind).putInt(length).putInt(0);
    frame.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).put(payload);
    frame.putInt(5, checksum(frame.array(), 0, length));
    return frame.flip();
  }

  private static int checksum(byte[] data, int frameStart, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, frameStart, 5);
    crc.update(data, frameStart + HEADER, length);
    return (int) crc.getValue();
  }
}
