package com.suse.telemetry.bench;

/**
 * What a load run measured.
 *
 * @param seconds measured duration
 * @param tally how the requests ended
 * @param accepted the latency of the accepted requests
 * @param all the latency of every request, whatever its outcome
 */
record LoadResult(double seconds, Tally tally, Latency accepted, Latency all) {

  double acceptedPerSecond() {
    return tally.accepted() / seconds;
  }
}
