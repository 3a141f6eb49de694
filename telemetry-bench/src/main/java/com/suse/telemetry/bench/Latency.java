package com.suse.telemetry.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A latency distribution: every sample of a run, in microseconds, in an HdrHistogram that grows to
 * whatever it is given (none is capped or dropped) and keeps three significant digits. Immutable.
 */
final class Latency {

  private static final int SIGNIFICANT_DIGITS = 3;
  // As HdrHistogram's own percentile distribution output: five steps per halving of the tail.
  private static final int TICKS_PER_HALF_DISTANCE = 5;

  /** No samples. */
  static final Latency NONE = new Latency(new Histogram(SIGNIFICANT_DIGITS));

  private final Histogram histogram;

  private Latency(Histogram histogram) {
    this.histogram = histogram;
  }

  /** A histogram for one recording thread to fill with microseconds. */
  static Histogram recorder() {
    return new Histogram(SIGNIFICANT_DIGITS);
  }

  /** The distribution recorded in {@code histogram}, copied. */
  static Latency of(Histogram histogram) {
    return new Latency(histogram.copy());
  }

  /** One distribution of all the samples of {@code latencies}. */
  static Latency merged(List<Latency> latencies) {
    Histogram all = recorder();
    latencies.forEach(latency -> all.add(latency.histogram));
    return new Latency(all);
  }

  /** How many samples were recorded. */
  long count() {
    return histogram.getTotalCount();
  }

  /** The latency at {@code percentile} (0 to 100), in milliseconds; NaN without samples. */
  double millisAt(double percentile) {
    return count() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The longest latency, in milliseconds; NaN without samples. */
  double maxMillis() {
    return count() == 0 ? Double.NaN : histogram.getMaxValue() / 1000.0;
  }

  /** A point of the percentile distribution: {@code percentile} (0 to 100) took {@code millis}. */
  record Point(double percentile, double millis) {

    /** The x of HdrHistogram's plots, 1 / (1 - percentile): 10 at p90, 100 at p99. */
    double reciprocalOfTail() {
      return 1 / (1 - percentile / 100);
    }
  }

  /**
   * The percentile distribution as HdrHistogram prints it, up to but not including 100% (whose
   * {@link Point#reciprocalOfTail} is infinite): the curve a latency plot draws.
   */
  List<Point> curve() {
    List<Point> points = new ArrayList<>();
    for (HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE)) {
      double percentile = value.getPercentileLevelIteratedTo();
      if (percentile < 100) {
        points.add(new Point(percentile, value.getValueIteratedTo() / 1000.0));
      }
    }
    return points;
  }

  /** The whole histogram, compressed and in Base64, as HdrHistogram's tools read it. */
  String encoded() {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
  }
}
