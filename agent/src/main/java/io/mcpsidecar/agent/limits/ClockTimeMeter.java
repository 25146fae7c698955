package io.mcpsidecar.agent.limits;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/** Bucket4j's time source backed by an injectable {@link Clock}, so tests move time by hand. */
record ClockTimeMeter(Clock clock) implements TimeMeter {

  @Override
  public long currentTimeNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public boolean isWallClockBased() {
    return true;
  }
}
