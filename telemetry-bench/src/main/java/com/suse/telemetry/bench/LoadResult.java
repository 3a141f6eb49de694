package com.suse.telemetry.bench;

/**
 * What a load run measured.
 *
 * @param seconds measured duration
 * @param tally how the requests ended
 * @param accepted the latency of the accepted requests
 * @param all the latency of every request, whatever its outcome
 * @param cpu how the processors were used over the run
 */
record LoadResult(double seconds, Tally tally, Latency accepted, Latency all, CpuUse cpu) {

  /** Nothing measured: no request, no time, so no rate. */
  static final LoadResult NONE =
      new LoadResult(0, Tally.NONE, Latency.NONE, Latency.NONE, CpuUse.UNKNOWN);

  double acceptedPerSecond() {
    return tally.accepted() / seconds;
  }
}
