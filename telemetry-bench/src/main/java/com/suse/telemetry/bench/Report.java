package com.suse.telemetry.bench;

import com.suse.telemetry.bench.Measurements.EndToEnd;
import com.suse.telemetry.bench.Measurements.LatencyComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The measurements and targets of a run, as a text table for people and as JSON for tools. */
final class Report {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> PERCENTILE_KEYS =
      List.of("p50_ms", "p90_ms", "p99_ms", "p999_ms", "p9999_ms");
  private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

  private final List<String> lines = new ArrayList<>();

  private Report() {}

  /** The table, line by line, as printed and written to {@code benchmark.txt}. */
  static List<String> text(Measurements measurements, List<Targets.Evaluation> evaluations) {
    Report report = new Report();
    report.write(measurements, evaluations);
    return List.copyOf(report.lines);
  }

  private void write(Measurements m, List<Targets.Evaluation> evaluations) {
    Plan plan = m.plan();
    Mode mode = plan.mode();
    lines.add(m.title());
    add(
        "Closed loop and ceilings: medians of %d round(s), each %.0f s measured after %.0f s of"
            + " warm-up; servers warmed %.0f s first. Open loop (latency, K-COMMIT, overload): one"
            + " window of %.0f s each. Latencies: every sample, in HdrHistogram",
        plan.rounds(), mode.seconds, mode.warmup, mode.serverWarmup, plan.openLoopSeconds());

    section("Ceilings");
    row(
        "K-H    no-op HTTP endpoint, 1-record bodies",
        m.noOpRequestsPerSecond(1),
        "requests/s" + cpu(m.noOpCpu(1)));
    row(
        "K-H    no-op HTTP endpoint, 100-record bodies",
        m.noOpRequestsPerSecond(Plan.REFERENCE_SIZE),
        "requests/s" + cpu(m.noOpCpu(Plan.REFERENCE_SIZE)));
    row("K-COPY pgjdbc COPY into the table, 2 streams", m.copyRecordsPerSecond(), "records/s");
    row("K-V    parse + validate + split, one thread", m.validationRecordsPerSecond(), "records/s");

    section("End to end: the collector over HTTP, closed loop, kept-alive connections");
    add(
        "  %-9s %7s %11s %11s %8s %8s %8s %8s %8s %6s",
        "envelope",
        "clients",
        "requests/s",
        "records/s",
        "vs COPY",
        "vs K-H",
        "p50 ms",
        "p99 ms",
        "CPU busy",
        "server");
    for (int size : mode.sizes) {
      EndToEnd e2e = m.endToEnd(size);
      double noOp = m.noOpRequestsPerSecond(size);
      add(
          "  %-9s %7d %11.0f %11.0f %7.2fx %8s %8.1f %8.1f %8s %6s",
          size + " rec",
          e2e.clients(),
          e2e.requestsPerSecond(),
          e2e.recordsPerSecond(),
          e2e.recordsPerSecond() / m.copyRecordsPerSecond(),
          // K-H is measured for 1- and 100-record bodies only.
          Double.isNaN(noOp)
              ? "-"
              : String.format(Locale.ROOT, "%.2fx", e2e.requestsPerSecond() / noOp),
          e2e.latency().millisAt(50),
          e2e.latency().millisAt(99),
          percent(e2e.cpu().busy()),
          percent(e2e.cpu().server()));
      if (e2e.tally().accepted() == 0) {
        add("  warning: no %d-record envelope was accepted within the window", size);
      } else if (e2e.tally().total() != e2e.tally().accepted()) {
        add(
            "  warning: %d-record envelopes had %d answers other than 202",
            size, e2e.tally().total() - e2e.tally().accepted());
      }
    }

    section(
        "Latency at 70% of the 100-record maximum: open loop, from each request's intended start"
            + " (coordinated omission corrected)");
    add(
        "  K-COMMIT: plain JDBC committing the same 100-record transactions at the same rate"
            + " (INSERT ... ON CONFLICT DO NOTHING, %d connections)",
        plan.commitConnections());
    for (LatencyComparison comparison : m.latency()) {
      add("  %-10s %s", comparison.store().label + ":", comparison.postgres());
    }
    latencyHeader(String.format(Locale.ROOT, "%-10s %-9s", "", ""));
    for (LatencyComparison comparison : m.latency()) {
      latencyRow(
          String.format(Locale.ROOT, "%-10s %-9s", comparison.store().label, "collector"),
          comparison.collector());
      latencyRow(
          String.format(Locale.ROOT, "%-10s %-9s", comparison.store().label, "K-COMMIT"),
          comparison.commit());
    }

    EndToEnd saturated = m.endToEnd(Plan.REFERENCE_SIZE);
    double maximum = saturated.recordsPerSecond();
    LoadResult overload = m.overload().result();
    double goodput = overload.acceptedPerSecond() * Plan.REFERENCE_SIZE;
    section("2x overload: open loop at twice the 100-record maximum");
    add(
        "  offered %.0f requests/s; accepted %.0f records/s (%.2fx the maximum), their p99"
            + " %.1f ms (%.2fx the p99 at saturation)",
        m.overload().rate(),
        goodput,
        goodput / maximum,
        overload.accepted().millisAt(99),
        overload.accepted().millisAt(99) / saturated.latency().millisAt(99));
    add(
        "  shed %d with 503/429 + Retry-After, %d without; %d other answers",
        overload.tally().shed(),
        overload.tally().shedWithoutRetryAfter(),
        overload.tally().other());
    add(
        "  %-32s %9s %8s %15s %13s %8s %6s %8s %6s",
        "admission, at the same rate",
        "records/s",
        "vs max",
        "accepted p99 ms",
        "vs saturation",
        "shed",
        "other",
        "CPU busy",
        "server");
    admissionRow("adaptive (default; the above)", m.overload(), maximum, saturated);
    admissionRow("fixed (another collector)", m.fixedAdmission(), maximum, saturated);

    Measurements.Scale scale = m.scale();
    section(
        String.format(
            Locale.ROOT,
            "Scale: 100-record envelopes once %d rows are stored over %d monthly partitions",
            scale.rows(),
            Plan.SCALE_MONTHS));
    add(
        "  %.0f records/s, %.2fx the empty table's %.0f; p50 %.1f ms, p99 %.1f ms; CPU busy %s",
        scale.recordsPerSecond(),
        scale.recordsPerSecond() / maximum,
        maximum,
        scale.collector().accepted().millisAt(50),
        scale.collector().accepted().millisAt(99),
        percent(scale.collector().cpu().busy()));
    List<Measurements.PartitionRows> months = scale.filledMonths();
    if (!months.isEmpty()) {
      add(
          "  rows by partition (ANALYZE's estimate): %d months, %s to %s, %d to %d rows each,"
              + " the envelopes dated in the first; %d rows outside the months",
          months.size(),
          months.get(0).partition(),
          months.get(months.size() - 1).partition(),
          months.stream().mapToLong(Measurements.PartitionRows::rows).min().orElse(0),
          months.stream().mapToLong(Measurements.PartitionRows::rows).max().orElse(0),
          scale.rowsOutsideTheMonths());
    }
    if (scale.rowsOutsideTheMonths() > 0) {
      add(
          "  warning: %d rows are outside the monthly partitions, in telemetry_before or"
              + " telemetry_after",
          scale.rowsOutsideTheMonths());
    }

    Measurements.Retention retention = m.retention();
    Measurements.Purge purge = retention.purge();
    Measurements.TableLock lock = retention.lock();
    section(
        String.format(
            Locale.ROOT,
            "Retention: a month of %d rows (%s) dropped by the purge command while the collector"
                + " takes 70%% of its maximum (open loop, envelopes dated in the next month)",
            retention.rows(),
            retention.partition()));
    add(
        "  purge --older-than %s: %s; %d rows removed in %.1f s (the whole command, JVM start"
            + " included)",
        purge.olderThan(),
        purge.dropped().isEmpty()
            ? "dropped no partition"
            : "dropped "
                + String.join(
                    ", ",
                    purge.dropped().stream()
                        .map(d -> d.partition() + " (" + d.rows() + " rows)")
                        .toList()),
        purge.rowsRemoved(),
        purge.seconds());
    if (!purge.failure().isEmpty()) {
      add("  warning: the purge command failed: %s", purge.failure());
    }
    add(
        "  the table's exclusive lock held or waited for %.0f ms, seen %d time(s) (sampled from"
            + " pg_locks, every %.0f ms at most)%s",
        lock.heldMillis(),
        lock.episodesMillis().size(),
        lock.samplingMillis(),
        lock.stillLocked() ? "; still locked at the end" : "");
    latencyHeader(String.format(Locale.ROOT, "%-20s", ""));
    latencyRow(String.format(Locale.ROOT, "%-20s", "before the drop"), retention.before());
    latencyRow(String.format(Locale.ROOT, "%-20s", "during the drop"), retention.during());

    section("Memory of the collector over the whole run");
    add(
        "  peak heap in use %.0f MiB of %d, peak RSS %.0f MiB, OutOfMemoryError: %s",
        m.footprint().peakHeapMib(),
        plan.collectorHeap().mebibytes(),
        m.footprint().peakRssMib(),
        m.footprint().outOfMemory() ? "YES" : "none");

    section("Targets");
    for (Targets.Evaluation evaluation : evaluations) {
      add(
          "  %-66s %s (%s)",
          evaluation.target().description(),
          evaluation.verdict().status().label,
          evaluation.verdict().measured());
    }
  }

  private void latencyHeader(String label) {
    add(
        "  %s %10s %7s %7s %7s %8s %9s %7s %8s %6s %8s %6s",
        label,
        "requests/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "p99.9 ms",
        "p99.99 ms",
        "max ms",
        "samples",
        "failed",
        "CPU busy",
        "server");
  }

  private void latencyRow(String label, LoadResult result) {
    Latency latency = result.all();
    add(
        "  %s %10.0f %7.1f %7.1f %7.1f %8.1f %9.1f %7.1f %8d %6d %8s %6s",
        label,
        result.acceptedPerSecond(),
        latency.millisAt(50),
        latency.millisAt(90),
        latency.millisAt(99),
        latency.millisAt(99.9),
        latency.millisAt(99.99),
        latency.maxMillis(),
        latency.count(),
        result.tally().total() - result.tally().accepted(),
        percent(result.cpu().busy()),
        percent(result.cpu().server()));
  }

  /** A fraction as a whole percentage, or "-" where it is unknown. */
  private static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
  }

  /** {@code use} after a figure: how busy the processors were, and the server's share. */
  private static String cpu(CpuUse use) {
    return Double.isNaN(use.busy())
        ? ""
        : String.format(
            Locale.ROOT,
            " (CPU busy %s, the server %s)",
            percent(use.busy()),
            percent(use.server()));
  }

  private static void cpu(ObjectNode node, CpuUse use) {
    if (!Double.isNaN(use.busy())) {
      node.put("machine_cpu_busy", use.busy());
    }
    if (!Double.isNaN(use.server())) {
      node.put("server_cpu_share", use.server());
    }
  }

  private void admissionRow(
      String admission, Measurements.Overload overload, double maximum, EndToEnd saturated) {
    LoadResult result = overload.result();
    double records = result.acceptedPerSecond() * Plan.REFERENCE_SIZE;
    double p99 = result.accepted().millisAt(99);
    add(
        "  %-32s %9.0f %7.2fx %15.1f %12.2fx %8d %6d %8s %6s",
        admission,
        records,
        records / maximum,
        p99,
        p99 / saturated.latency().millisAt(99),
        result.tally().shed(),
        result.tally().improper(),
        percent(result.cpu().busy()),
        percent(result.cpu().server()));
  }

  private void section(String title) {
    lines.add("");
    lines.add(title);
  }

  private void row(String name, double value, String unit) {
    add("  %-50s %11.0f %s", name, value, unit);
  }

  private void add(String format, Object... arguments) {
    lines.add(String.format(Locale.ROOT, format, arguments));
  }

  /** Every figure, with the histograms, as {@code benchmark.json}. */
  static String json(Measurements m, List<Targets.Evaluation> evaluations) {
    ObjectNode root = JSON.createObjectNode();
    root.put("title", m.title());
    ObjectNode plan = root.putObject("plan");
    plan.put("mode", m.plan().mode().label());
    plan.put("rounds", m.plan().rounds());
    plan.put("closed_loop_seconds", m.plan().mode().seconds);
    plan.put("open_loop_seconds", m.plan().openLoopSeconds());
    plan.put("collector_heap_mib", m.plan().collectorHeap().mebibytes());
    plan.put("k_commit_connections", m.plan().commitConnections());
    plan.put("cores", m.environment().cores());
    plan.put("postgres", m.environment().postgres());

    ObjectNode ceilings = root.putObject("ceilings");
    ceilings.put("kh_requests_per_second_1", m.noOpRequestsPerSecond(1));
    ceilings.put("kh_requests_per_second_100", m.noOpRequestsPerSecond(Plan.REFERENCE_SIZE));
    ceilings.put("kcopy_records_per_second", m.copyRecordsPerSecond());
    ceilings.put("kv_records_per_second", m.validationRecordsPerSecond());

    ArrayNode rounds = root.putArray("rounds");
    for (Measurements.Round round : m.rounds()) {
      ObjectNode node = rounds.addObject();
      round
          .noOp()
          .forEach((size, result) -> node.put("kh_requests_" + size, result.acceptedPerSecond()));
      round
          .collector()
          .forEach((size, result) -> node.put("e2e_requests_" + size, result.acceptedPerSecond()));
      node.put("kcopy_records", round.copyRecordsPerSecond());
    }

    ArrayNode endToEnd = root.putArray("end_to_end");
    for (int size : m.plan().mode().sizes) {
      EndToEnd e2e = m.endToEnd(size);
      ObjectNode node = endToEnd.addObject();
      node.put("records_per_envelope", size);
      node.put("clients", e2e.clients());
      node.put("requests_per_second", e2e.requestsPerSecond());
      node.put("records_per_second", e2e.recordsPerSecond());
      cpu(node, e2e.cpu());
      latency(node.putObject("latency"), e2e.latency());
    }

    ArrayNode latency = root.putArray("latency_70");
    for (LatencyComparison comparison : m.latency()) {
      ObjectNode node = latency.addObject();
      node.put("store", comparison.store().name().toLowerCase(Locale.ROOT));
      node.put("postgres", comparison.postgres());
      node.put("offered_per_second", comparison.rate());
      load(node.putObject("collector"), comparison.collector());
      load(node.putObject("k_commit"), comparison.commit());
    }

    ObjectNode overload = root.putObject("overload");
    overload.put("offered_per_second", m.overload().rate());
    overload.put("admission", "adaptive");
    load(overload, m.overload().result());
    ObjectNode fixed = overload.putObject("fixed_admission");
    fixed.put("offered_per_second", m.fixedAdmission().rate());
    load(fixed, m.fixedAdmission().result());

    ObjectNode scale = root.putObject("scale");
    scale.put("rows", m.scale().rows());
    scale.put("months", Plan.SCALE_MONTHS);
    scale.put("records_per_second", m.scale().recordsPerSecond());
    scale.put(
        "vs_empty_table",
        m.scale().recordsPerSecond() / m.endToEnd(Plan.REFERENCE_SIZE).recordsPerSecond());
    ArrayNode partitions = scale.putArray("partitions");
    for (Measurements.PartitionRows partition : m.scale().partitions()) {
      partitions.addObject().put("partition", partition.partition()).put("rows", partition.rows());
    }
    load(scale.putObject("collector"), m.scale().collector());

    Measurements.Retention retention = m.retention();
    ObjectNode drop = root.putObject("retention");
    drop.put("rows", retention.rows());
    drop.put("partition", retention.partition());
    drop.put("offered_per_second", retention.rate());
    load(drop.putObject("before"), retention.before());
    load(drop.putObject("during"), retention.during());
    ObjectNode purge = drop.putObject("purge");
    purge.put("older_than", retention.purge().olderThan().toString());
    purge.put("seconds", retention.purge().seconds());
    purge.put("rows_removed", retention.purge().rowsRemoved());
    if (!retention.purge().failure().isEmpty()) {
      purge.put("failure", retention.purge().failure());
    }
    ArrayNode dropped = purge.putArray("dropped");
    for (Measurements.DroppedPartition partition : retention.purge().dropped()) {
      dropped.addObject().put("partition", partition.partition()).put("rows", partition.rows());
    }
    ObjectNode lock = drop.putObject("table_lock");
    lock.put("held_ms", retention.lock().heldMillis());
    ArrayNode episodes = lock.putArray("episodes_ms");
    retention.lock().episodesMillis().forEach(episodes::add);
    lock.put("sampling_ms", retention.lock().samplingMillis());
    lock.put("still_locked", retention.lock().stillLocked());

    ObjectNode memory = root.putObject("memory");
    memory.put("peak_heap_mib", m.footprint().peakHeapMib());
    memory.put("peak_rss_mib", m.footprint().peakRssMib());
    memory.put("out_of_memory", m.footprint().outOfMemory());

    ArrayNode targets = root.putArray("targets");
    for (Targets.Evaluation evaluation : evaluations) {
      ObjectNode node = targets.addObject();
      node.put("target", evaluation.target().description());
      node.put("status", evaluation.verdict().status().name());
      node.put("measured", evaluation.verdict().measured());
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  private static void load(ObjectNode node, LoadResult result) {
    node.put("seconds", result.seconds());
    node.put("accepted", result.tally().accepted());
    node.put("shed_with_retry_after", result.tally().shed());
    node.put("shed_without_retry_after", result.tally().shedWithoutRetryAfter());
    node.put("other", result.tally().other());
    node.put("accepted_per_second", result.acceptedPerSecond());
    cpu(node, result.cpu());
    latency(node.putObject("latency"), result.all());
    latency(node.putObject("accepted_latency"), result.accepted());
  }

  private static void latency(ObjectNode node, Latency latency) {
    node.put("samples", latency.count());
    for (int i = 0; i < PERCENTILES.length; i++) {
      node.put(PERCENTILE_KEYS.get(i), latency.millisAt(PERCENTILES[i]));
    }
    node.put("max_ms", latency.maxMillis());
    node.put("hdr_histogram_base64", latency.encoded());
  }
}
