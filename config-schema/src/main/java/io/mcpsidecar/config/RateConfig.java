package io.mcpsidecar.config;

import java.time.Duration;

/**
 * A token bucket.
 *
 * @param limit tokens per interval; 0: no limit
 * @param interval what the limit refills over
 * @param burst the bucket size; 0: the same as limit
 */
public record RateConfig(long limit, Duration interval, long burst) {

  /** The bucket size in effect. */
  public long capacity() {
    return burst == 0 ? limit : burst;
  }
}
