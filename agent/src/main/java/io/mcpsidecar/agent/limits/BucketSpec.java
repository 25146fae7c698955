package io.mcpsidecar.agent.limits;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;

/**
 * The shape of one token bucket, comparable by value so a reload can tell whether a bucket's
 * configuration changed.
 *
 * @param capacity most tokens held
 * @param refillTokens tokens added per period
 * @param refillPeriod the period
 * @param intervally whether the tokens come all at once at the end of each period (quotas) rather
 *     than smoothly (rates)
 */
record BucketSpec(long capacity, long refillTokens, Duration refillPeriod, boolean intervally) {

  /**
   * A rate: {@code limit} tokens per {@code interval}, refilled smoothly, holding {@code capacity}.
   */
  static BucketSpec rate(long limit, Duration interval, long capacity) {
    // Bucket4j refills at most one token per nanosecond; faster rates are no limit in practice.
    long tokens = Math.min(limit, interval.toNanos());
    return new BucketSpec(Math.max(capacity, tokens), tokens, interval, false);
  }

  /**
   * A quota of {@code limit} tokens for one calendar window. Its bucket lives under a key of its
   * own window, so the refill (a window's length after the bucket was first used, thus after the
   * window ended) never happens within the window; it only bounds how long storage keeps it.
   */
  static BucketSpec quota(long limit, Duration window) {
    return new BucketSpec(limit, limit, window, true);
  }

  BucketConfiguration configuration() {
    var refill = Bandwidth.builder().capacity(capacity);
    var built =
        intervally
            ? refill.refillIntervally(refillTokens, refillPeriod)
            : refill.refillGreedy(refillTokens, refillPeriod);
    return BucketConfiguration.builder().addLimit(built.build()).build();
  }
}
