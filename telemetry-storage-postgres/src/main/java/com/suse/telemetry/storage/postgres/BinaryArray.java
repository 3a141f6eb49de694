package com.suse.telemetry.storage.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.postgresql.util.PGBinaryObject;
import org.postgresql.util.PGobject;

/**
 * A one-dimensional array parameter in PostgreSQL's binary format, without null elements. pgjdbc
 * sends an array of Java objects as text: it formats and escapes every element into one string,
 * which the server then parses back; for the payloads of a commit that was a fifth of the
 * collector's processor time and most of what it allocated per commit (the benchmark's profile). In
 * binary, strings go as their UTF-8 bytes and numbers as numbers. Only {@code text[]} and {@code
 * integer[]}: pgjdbc sends those in binary by default, and would send another type as the text of
 * {@link #getValue()}, which the server refuses.
 *
 * <p>The layout (PostgreSQL's {@code array_recv}): dimensions (1), a null flag (0), the element
 * type's OID, the length and lower bound (1) of the dimension, then each element as its length and
 * bytes.
 */
final class BinaryArray extends PGobject implements PGBinaryObject {

  private static final long serialVersionUID = 1L;
  private static final int HEADER = 20;
  private static final int TEXT = 25;
  private static final int INT4 = 23;

  private final int elementType;
  private final int count;
  private final int elementBytes;
  private final transient Consumer<ByteBuffer> elements;

  /**
   * An array of {@code count} elements of {@code elementType}, which {@code elements} writes, each
   * as its length and bytes, in {@code elementBytes} in all: straight into the bytes pgjdbc sends,
   * without a copy of them first.
   */
  private BinaryArray(
      String arrayType,
      int elementType,
      int count,
      int elementBytes,
      Consumer<ByteBuffer> elements) {
    this.type = arrayType;
    this.elementType = elementType;
    this.count = count;
    this.elementBytes = elementBytes;
    this.elements = elements;
  }

  /** A {@code text[]} of what {@code text} gives for each of {@code values}. */
  static <T> BinaryArray text(List<T> values, Function<T, String> text) {
    byte[][] utf8 = new byte[values.size()][];
    int length = 0;
    for (int i = 0; i < utf8.length; i++) {
      utf8[i] = text.apply(values.get(i)).getBytes(StandardCharsets.UTF_8);
      length += Integer.BYTES + utf8[i].length;
    }
    return new BinaryArray(
        "_text",
        TEXT,
        utf8.length,
        length,
        bytes -> {
          for (byte[] value : utf8) {
            bytes.putInt(value.length).put(value);
          }
        });
  }

  /** An {@code integer[]}. */
  static <T> BinaryArray int4(List<T> values, ToIntFunction<T> number) {
    int[] numbers = values.stream().mapToInt(number).toArray();
    return new BinaryArray(
        "_int4",
        INT4,
        numbers.length,
        numbers.length * 2 * Integer.BYTES,
        bytes -> {
          for (int value : numbers) {
            bytes.putInt(Integer.BYTES).putInt(value);
          }
        });
  }

  @Override
  public int lengthInBytes() {
    return HEADER + elementBytes;
  }

  @Override
  public void toBytes(byte[] bytes, int offset) {
    ByteBuffer buffer =
        ByteBuffer.wrap(bytes, offset, lengthInBytes())
            .putInt(1)
            .putInt(0)
            .putInt(elementType)
            .putInt(count)
            .putInt(1);
    elements.accept(buffer);
  }

  @Override
  public void setByteValue(byte[] value, int offset) {
    throw new UnsupportedOperationException("a parameter only: never read from a result");
  }

  /** Only for pgjdbc's logging; the parameter itself is sent in binary. */
  @Override
  public String getValue() {
    return "binary " + type + " of " + count + " element(s)";
  }
}
