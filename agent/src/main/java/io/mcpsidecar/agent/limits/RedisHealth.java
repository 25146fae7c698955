package io.mcpsidecar.agent.limits;

import io.mcpsidecar.config.RedisHealthConfig;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Whether Redis is unavailable, judged on the calls of a recent window rather than on one reply: a
 * single slow or failed reply fails (by {@code failMode}) only its own decision. Once at least
 * {@code minCalls} calls fell in the window and at least {@code failureRatio} of them failed, Redis
 * is left alone for {@link RedisBackend#BACKOFF} (every decision applies {@code failMode} at once,
 * so an outage does not add the timeout to every call), and the window starts over.
 *
 * <p>The window is ten slots of a tenth of its length each, so old calls leave it in steps. Calls
 * complete on Lettuce's threads: the counts change under a lock that guards only arithmetic.
 */
final class RedisHealth {

  private static final int SLOTS = 10;

  private final Clock clock;
  private final Supplier<RedisHealthConfig> config;
  private final long[] slotStart = new long[SLOTS];
  private final int[] calls = new int[SLOTS];
  private final int[] failures = new int[SLOTS];
  private volatile long unavailableUntil = Long.MIN_VALUE;

  RedisHealth(Clock clock, Supplier<RedisHealthConfig> config) {
    this.clock = clock;
    this.config = config;
  }

  /** Whether calls should skip Redis now. */
  boolean unavailable() {
    return clock.millis() < unavailableUntil;
  }

  /** Counts the outcome of one Redis call; may judge Redis unavailable. */
  synchronized void record(boolean failed) {
    RedisHealthConfig c = config.get();
    long now = clock.millis();
    long slotMillis = Math.max(1, c.window().toMillis() / SLOTS);
    long slot = Math.floorDiv(now, slotMillis);
    int i = (int) Math.floorMod(slot, SLOTS);
    if (slotStart[i] != slot) {
      slotStart[i] = slot;
      calls[i] = 0;
      failures[i] = 0;
    }
    calls[i]++;
    if (failed) {
      failures[i]++;
    } else {
      return;
    }
    int total = 0;
    int failedCalls = 0;
    for (int s = 0; s < SLOTS; s++) {
      if (slot - slotStart[s] < SLOTS) {
        total += calls[s];
        failedCalls += failures[s];
      }
    }
    if (total >= c.minCalls() && failedCalls >= c.failureRatio() * total) {
      unavailableUntil = now + RedisBackend.BACKOFF.toMillis();
      java.util.Arrays.fill(calls, 0);
      java.util.Arrays.fill(failures, 0);
    }
  }
}
