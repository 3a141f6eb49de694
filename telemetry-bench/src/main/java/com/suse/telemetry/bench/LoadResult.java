package com.suse.telemetry.bench;

/**
 * What a load run measured.
 *
 * @param seconds measured duration
 * @param tally how the requests ended
 * @param accepted the latency of the accepted requests
 * @param all the latency of every request, whatever its outcome
 * @param cpuBusy the fraction of the machine's processors busy over the run (see {@link
 *     MachineCpu}); NaN where unknown
 */
record LoadResult(double seconds, Tally tally, Latency accepted, Latency all, double cpuBusy) {

  double acceptedPerSecond() {
    return tally.accepted() / seconds;
  }
}
