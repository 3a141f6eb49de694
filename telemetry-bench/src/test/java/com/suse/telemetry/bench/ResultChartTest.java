package com.suse.telemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultChartTest {

  @TempDir Path out;

  @Test
  void drawsThroughputAndLatencySideBySideIntoAPng() throws Exception {
    Path png = out.resolve("benchmark.png");

    ResultChart.write(new SampleMeasurements().build(), png);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(ResultChart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(ResultChart.HEIGHT);
  }

  @Test
  void throughputHasABarPerEnvelopeSizeAndTheCeilingsAsLines() {
    CategoryPlot plot = ResultChart.throughput(new SampleMeasurements().build()).getCategoryPlot();

    List<Object> columns = new ArrayList<>();
    for (Object column : plot.getDataset().getColumnKeys()) {
      columns.add(column);
    }
    assertThat(columns).containsExactly("1 record", "10 records", "100 records", "1000 records");
    assertThat(
            plot.getDataset()
                .getValue("collector (E2E), with its share of K-COPY", "100 records")
                .doubleValue())
        .isEqualTo(50_000);
    assertThat(plot.getDataset().getValue("K-H: no-op HTTP endpoint", "100 records").doubleValue())
        .isEqualTo(2_000_000);
    assertThat(plot.getDataset().getValue("K-H: no-op HTTP endpoint", "10 records")).isNull();
    List<Double> lines = new ArrayList<>();
    for (Object marker : plot.getRangeMarkers(Layer.FOREGROUND)) {
      lines.add(((ValueMarker) marker).getValue());
    }
    assertThat(lines).containsExactlyInAnyOrder(70_000.0, 320_000.0);
  }

  @Test
  void latencyHasACurvePerServerAndStoreOnHdrHistogramsAxis() {
    XYPlot plot = ResultChart.latency(new SampleMeasurements().build()).getXYPlot();

    assertThat(plot.getDataset().getSeriesCount()).isEqualTo(4);
    assertThat(plot.getDataset().getSeriesKey(0).toString())
        .startsWith("collector, on disk: p99 28.0");
    assertThat(plot.getDataset().getSeriesKey(3).toString())
        .startsWith("K-COMMIT, in memory: p99 15.0");
    assertThat(plot.getDataset().getXValue(0, 0)).isEqualTo(1);
    assertThat(plot.getDomainAxis().getUpperBound()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void labelsTheAxisWithPercentiles() {
    ResultChart.PercentileFormat format = new ResultChart.PercentileFormat();

    assertThat(format.format(1)).isEqualTo("0%");
    assertThat(format.format(2)).isEqualTo("50%");
    assertThat(format.format(10)).isEqualTo("90%");
    assertThat(format.format(100)).isEqualTo("99%");
    assertThat(format.format(1_000)).isEqualTo("99.9%");
    assertThat(format.format(10_000)).isEqualTo("99.99%");
  }
}
