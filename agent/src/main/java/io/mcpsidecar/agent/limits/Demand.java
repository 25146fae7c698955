package io.mcpsidecar.agent.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * Tokens a call asks of one of its tenant's buckets.
 *
 * @param scope what the bucket limits
 * @param name the bucket's name within the tenant ({@code requests}, {@code tool:search_*}, ...)
 * @param window the calendar window of a quota ({@code 2026-11-26}, {@code 2026-11}), else null
 * @param spec the bucket's shape
 * @param tokens how many tokens the call takes
 * @param limit the limit as configured (the {@code q} of {@code RateLimit-Policy})
 * @param period the limit's interval or window (the {@code w})
 * @param resetAt when a quota's window ends, else null
 * @param item the name as a Structured Field string, for the {@code RateLimit} fields
 * @param policy this limit's item of {@code RateLimit-Policy} ({@code "requests";q=100;w=60})
 */
record Demand(
    Scope scope,
    String name,
    String window,
    BucketSpec spec,
    long tokens,
    long limit,
    Duration period,
    Instant resetAt,
    String item,
    String policy) {

  /** A demand whose header texts are derived from its name, limit and period. */
  Demand(
      Scope scope,
      String name,
      String window,
      BucketSpec spec,
      long tokens,
      long limit,
      Duration period,
      Instant resetAt) {
    this(scope, name, window, spec, tokens, limit, period, resetAt, RateLimitHeaders.item(name));
  }

  private Demand(
      Scope scope,
      String name,
      String window,
      BucketSpec spec,
      long tokens,
      long limit,
      Duration period,
      Instant resetAt,
      String item) {
    this(
        scope,
        name,
        window,
        spec,
        tokens,
        limit,
        period,
        resetAt,
        item,
        RateLimitHeaders.policyItem(item, limit, period));
  }

  /** This demand for {@code count} tokens: itself when that is what it asks already. */
  Demand withTokens(long count) {
    return count == tokens
        ? this
        : new Demand(scope, name, window, spec, count, limit, period, resetAt, item, policy);
  }
}
