package com.suse.telemetry.bench;

/**
 * How the machine's processors were used over a load window: where latency grows with the load, or
 * a server is slower than its ceiling, this says whether the processors were the limit and who had
 * them. Waiting grows steeply as the processors near full use.
 *
 * @param busy the share of all processors' time that was busy: every process on the machine (the
 *     servers, PostgreSQL, the load generator, and whatever else shares it); NaN where unknown
 * @param server the share of all processors' time the measured server's process had; NaN where
 *     unknown or where there is no such process (a ceiling run inside PostgreSQL or the benchmark)
 */
record CpuUse(double busy, double server) {

  static final CpuUse UNKNOWN = new CpuUse(Double.NaN, Double.NaN);
}
