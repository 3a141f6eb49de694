package com.suse.telemetry.bench;

import com.suse.telemetry.bench.Measurements.LatencyComparison;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run as a picture ({@code benchmark.png}): on the left, the collector's throughput per
 * envelope size against the ceilings; on the right, the latency percentile curves of the collector
 * and K-COMMIT at 70% load, on disk and in memory, plotted as HdrHistogram's tools plot them.
 */
final class ResultChart {

  static final int WIDTH = 1600;
  static final int HEIGHT = 720;
  private static final int TITLE_HEIGHT = 36;

  private static final Color COLLECTOR = new Color(0x1f77b4);
  private static final Color NO_OP = new Color(0xaaaaaa);
  private static final Color COMMIT = new Color(0xff7f0e);
  private static final Color COPY = new Color(0x2ca02c);
  private static final Color VALIDATION = new Color(0x9467bd);

  private ResultChart() {}

  /** Draws {@code measurements} into a PNG at {@code file}. */
  static void write(Measurements measurements, Path file) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    try {
      graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      graphics.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      graphics.setColor(Color.WHITE);
      graphics.fillRect(0, 0, WIDTH, HEIGHT);
      graphics.setColor(Color.DARK_GRAY);
      graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
      graphics.drawString(measurements.title(), 16, 24);
      double half = WIDTH / 2.0;
      double height = HEIGHT - TITLE_HEIGHT;
      throughput(measurements)
          .draw(graphics, new Rectangle2D.Double(0, TITLE_HEIGHT, half, height));
      latency(measurements)
          .draw(graphics, new Rectangle2D.Double(half, TITLE_HEIGHT, half, height));
    } finally {
      graphics.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }

  /**
   * Records per second by envelope size: the collector and K-H as bars (across, so that their
   * labels have room), K-COPY and K-V as lines.
   */
  static JFreeChart throughput(Measurements m) {
    String collector = "collector (E2E), with its share of K-COPY";
    String noOp = "K-H: no-op HTTP endpoint";
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    List<Double> values = new ArrayList<>();
    for (int size : m.plan().mode().sizes) {
      String column = size == 1 ? "1 record" : size + " records";
      double records = m.endToEnd(size).recordsPerSecond();
      double noOpRecords = m.noOpRequestsPerSecond(size) * size;
      dataset.addValue(records, collector, column);
      dataset.addValue(Double.isNaN(noOpRecords) ? null : noOpRecords, noOp, column);
      values.add(records);
      if (!Double.isNaN(noOpRecords)) {
        values.add(noOpRecords);
      }
    }
    double copy = m.copyRecordsPerSecond();
    double validation = m.validationRecordsPerSecond();
    values.add(copy);
    values.add(validation);

    LogAxis axis = new LogAxis("records per second (log scale)");
    // A log axis cannot show zero: a rate of nothing (a broken run) draws no bar.
    double lowest =
        values.stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(1);
    double highest = values.stream().mapToDouble(Double::doubleValue).max().orElse(10);
    axis.setRange(lowest / 2, Math.max(highest, lowest) * 6);
    axis.setTickUnit(new NumberTickUnit(1), false, true);
    axis.setNumberFormatOverride(compact());

    BarRenderer bars = new BarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setItemMargin(0.05);
    bars.setSeriesPaint(0, COLLECTOR);
    bars.setSeriesPaint(1, NO_OP);
    bars.setDefaultItemLabelGenerator(new VersusCopy(copy));
    bars.setDefaultItemLabelsVisible(true);
    bars.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    bars.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));

    CategoryPlot plot = new CategoryPlot(dataset, new CategoryAxis("envelope size"), axis, bars);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.addRangeMarker(marker(copy, "K-COPY: COPY into the table", COPY, false));
    plot.addRangeMarker(marker(validation, "K-V: validation, one thread", VALIDATION, true));
    JFreeChart chart = new JFreeChart("Throughput against the ceilings", plot);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  private static NumberFormat compact() {
    NumberFormat format =
        NumberFormat.getCompactNumberInstance(Locale.US, NumberFormat.Style.SHORT);
    format.setMaximumFractionDigits(1);
    return format;
  }

  private static ValueMarker marker(double value, String label, Color color, boolean top) {
    ValueMarker marker = new ValueMarker(value, color, new BasicStroke(2f));
    marker.setLabel(label + " " + compact().format(value) + "/s");
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    marker.setLabelPaint(color.darker());
    marker.setLabelBackgroundColor(Color.WHITE);
    marker.setLabelAnchor(top ? RectangleAnchor.TOP_RIGHT : RectangleAnchor.BOTTOM_RIGHT);
    marker.setLabelTextAnchor(top ? TextAnchor.TOP_LEFT : TextAnchor.BOTTOM_LEFT);
    return marker;
  }

  /** Labels each bar with its rate, and the collector's with its share of K-COPY. */
  private static final class VersusCopy extends StandardCategoryItemLabelGenerator {

    private static final long serialVersionUID = 1L;
    private final double copy;

    VersusCopy(double copy) {
      this.copy = copy;
    }

    @Override
    public String generateLabel(CategoryDataset dataset, int row, int column) {
      Number value = dataset.getValue(row, column);
      if (value == null) {
        return null;
      }
      String rate = compact().format(value.doubleValue()) + "/s";
      return row == 0
          ? String.format(Locale.ROOT, "%s, %.2fx K-COPY", rate, value.doubleValue() / copy)
          : rate;
    }
  }

  /** Latency against 1 / (1 - percentile) on a log axis, for each run at 70% load. */
  static JFreeChart latency(Measurements m) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    double widest = 100;
    for (LatencyComparison comparison : m.latency()) {
      Stroke stroke =
          comparison.store() == Measurements.Store.DISK
              ? new BasicStroke(2.5f)
              : new BasicStroke(
                  2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0);
      for (boolean isCollector : new boolean[] {true, false}) {
        Latency latency = isCollector ? comparison.collector().all() : comparison.commit().all();
        XYSeries series =
            new XYSeries(
                String.format(
                    Locale.ROOT,
                    "%s, %s: p99 %.1f ms",
                    isCollector ? "collector" : "K-COMMIT",
                    comparison.store().label,
                    latency.millisAt(99)),
                false,
                true);
        for (Latency.Point point : latency.curve()) {
          series.add(point.reciprocalOfTail(), point.millis());
          widest = Math.max(widest, point.reciprocalOfTail());
        }
        int index = dataset.getSeriesCount();
        dataset.addSeries(series);
        lines.setSeriesPaint(index, isCollector ? COLLECTOR : COMMIT);
        lines.setSeriesStroke(index, stroke);
      }
    }
    LogAxis percentiles = new LogAxis("percentile (log scale of 1 / (1 - percentile))");
    percentiles.setTickUnit(new NumberTickUnit(1), false, true);
    percentiles.setNumberFormatOverride(new PercentileFormat());
    // A little past the last power of ten, so that its tick and label are drawn.
    percentiles.setRange(1, 1.2 * Math.pow(10, Math.ceil(Math.log10(widest))));
    NumberAxis millis = new NumberAxis("latency from the intended start (ms)");
    XYPlot plot = new XYPlot(dataset, percentiles, millis, lines);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart =
        new JFreeChart(
            String.format(
                Locale.ROOT,
                "Latency at 70%% load (%.0f requests/s): collector and K-COMMIT",
                m.latency().isEmpty() ? Double.NaN : m.latency().get(0).rate()),
            plot);
    chart.setBackgroundPaint(Color.WHITE);
    // Room for the last percentile label, which sits on the plot's right edge.
    chart.setPadding(new RectangleInsets(0, 0, 0, 24));
    return chart;
  }

  /** Shows x = 1 / (1 - percentile) as the percentile: 10 as 90%, 1000 as 99.9%. */
  static final class PercentileFormat extends NumberFormat {

    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double x, StringBuffer to, FieldPosition position) {
      BigDecimal percentile =
          BigDecimal.valueOf(100 * (1 - 1 / x)).round(new MathContext(8)).stripTrailingZeros();
      return to.append(percentile.toPlainString()).append('%');
    }

    @Override
    public StringBuffer format(long x, StringBuffer to, FieldPosition position) {
      return format((double) x, to, position);
    }

    @Override
    public Number parse(String text, ParsePosition position) {
      throw new UnsupportedOperationException("an axis label is only ever written");
    }
  }
}
