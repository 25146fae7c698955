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
 */
record Demand(
    Scope scope,
    String name,
    String window,
    BucketSpec spec,
    long tokens,
    long limit,
    Duration period,
    Instant resetAt) {}
