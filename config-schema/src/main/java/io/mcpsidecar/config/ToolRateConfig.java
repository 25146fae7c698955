package io.mcpsidecar.config;

import java.time.Duration;

/**
 * A rate for the tools matching a glob.
 *
 * @param match tool name glob
 * @param limit calls per interval
 * @param interval what the limit refills over
 * @param burst the bucket size; 0: the same as limit
 */
public record ToolRateConfig(Glob match, long limit, Duration interval, long burst) {

  /** The bucket size in effect. */
  public long capacity() {
    return burst == 0 ? limit : burst;
  }
}
