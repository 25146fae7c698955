package io.mcpsidecar.agent.resilience;

import java.util.function.LongSupplier;

/**
 * A retry budget as Linkerd keeps one: over a sliding window of whole seconds, retries may add at
 * most {@code percent} of the calls made, plus {@code minPerSecond} for every second of the window
 * (so that an agent with little traffic can still retry). Calls and retries are counted in one
 * bucket per second; the lock guards only the counters.
 */
final class RetryBudget {

  private final LongSupplier millis;
  private final long[] calls = new long[60];
  private final long[] retries = new long[60];
  private final long[] second = new long[60];

  RetryBudget(LongSupplier millis) {
    this.millis = millis;
    java.util.Arrays.fill(second, -1);
  }

  synchronized void recordCall(int windowSeconds) {
    calls[bucket(windowSeconds)]++;
  }

  /** Spends a retry when the budget allows one (and counts it), else false. */
  synchronized boolean tryRetry(int windowSeconds, int percent, int minPerSecond) {
    int now = bucket(windowSeconds);
    long nowSecond = second[now];
    long madeCalls = 0;
    long madeRetries = 0;
    for (int i = 0; i < windowSeconds; i++) {
      if (second[i] > nowSecond - windowSeconds) {
        madeCalls += calls[i];
        madeRetries += retries[i];
      }
    }
    long allowed = madeCalls * percent / 100 + (long) minPerSecond * windowSeconds;
    if (madeRetries >= allowed) {
      return false;
    }
    retries[now]++;
    return true;
  }

  /** The bucket of this second, emptied if it last held an older second. */
  private int bucket(int windowSeconds) {
    long s = millis.getAsLong() / 1000;
    int i = (int) (s % windowSeconds);
    if (second[i] != s) {
      second[i] = s;
      calls[i] = 0;
      retries[i] = 0;
    }
    return i;
  }
}
