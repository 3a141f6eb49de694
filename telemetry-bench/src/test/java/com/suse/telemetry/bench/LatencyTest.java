package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyTest {

  /** 1 ms to 10 s, one sample each millisecond: the percentile p is about p% of 10 s. */
  private static Latency uniformToTenSeconds() {
    Histogram histogram = Latency.recorder();
    for (long millis = 1; millis <= 10_000; millis++) {
      histogram.recordValue(millis * 1000);
    }
    return Latency.of(histogram);
  }

  @Test
  void keepsEverySampleWithoutACap() {
    Histogram histogram = Latency.recorder();
    for (int i = 0; i < 300_000; i++) {
      histogram.recordValue(1_000 + i % 5_000);
    }
    histogram.recordValue(3_600_000_000L);

    Latency latency = Latency.of(histogram);

    assertThat(latency.count()).isEqualTo(300_001);
    assertThat(latency.maxMillis()).isCloseTo(3_600_000, within(3_600.0));
  }

  @Test
  void givesPercentilesInMillisecondsToThreeSignificantDigits() {
    Latency latency = uniformToTenSeconds();

    assertThat(latency.millisAt(50)).isCloseTo(5_000, within(5.0));
    assertThat(latency.millisAt(99)).isCloseTo(9_900, within(10.0));
    assertThat(latency.millisAt(99.9)).isCloseTo(9_990, within(10.0));
    assertThat(latency.maxMillis()).isCloseTo(10_000, within(10.0));
  }

  @Test
  void hasNoPercentilesWithoutSamples() {
    Latency latency = Latency.of(Latency.recorder());

    assertThat(latency.count()).isZero();
    assertThat(latency.millisAt(99)).isNaN();
    assertThat(latency.maxMillis()).isNaN();
    assertThat(latency.curve()).isEmpty();
  }

  @Test
  void curveRunsFromTheMedianBelowToTheTailAsHdrHistogramPrintsIt() {
    List<Latency.Point> curve = uniformToTenSeconds().curve();

    assertThat(curve.get(0).percentile()).isZero();
    assertThat(curve).allSatisfy(point -> assertThat(point.percentile()).isLessThan(100));
    assertThat(curve.get(curve.size() - 1).percentile()).isGreaterThan(99.9);
    for (int i = 1; i < curve.size(); i++) {
      assertThat(curve.get(i).percentile()).isGreaterThan(curve.get(i - 1).percentile());
      assertThat(curve.get(i).millis()).isGreaterThanOrEqualTo(curve.get(i - 1).millis());
    }
    Latency.Point median =
        curve.stream().filter(point -> point.percentile() == 50).findFirst().orElseThrow();
    assertThat(median.millis()).isCloseTo(5_000, within(5.0));
    assertThat(median.reciprocalOfTail()).isEqualTo(2);
    assertThat(new Latency.Point(99, 1).reciprocalOfTail()).isCloseTo(100, within(1e-9));
  }

  @Test
  void mergesDistributions() {
    Latency merged =
        Latency.merged(
            List.of(SampleMeasurements.latency(100, 10), SampleMeasurements.latency(100, 30)));

    assertThat(merged.count()).isEqualTo(200);
    assertThat(merged.millisAt(25)).isCloseTo(10, within(0.1));
    assertThat(merged.millisAt(75)).isCloseTo(30, within(0.1));
  }

  @Test
  void encodesTheWholeHistogramForHdrHistogramsTools() throws Exception {
    Latency latency = uniformToTenSeconds();

    Histogram decoded =
        Histogram.decodeFromCompressedByteBuffer(
            ByteBuffer.wrap(Base64.getDecoder().decode(latency.encoded())), 0);

    assertThat(decoded.getTotalCount()).isEqualTo(10_000);
    assertThat(decoded.getValueAtPercentile(99) / 1000.0).isEqualTo(latency.millisAt(99));
  }
}
