package io.mcpsidecar.config;

import java.time.Duration;

/**
 * When Redis counts as unavailable: at least {@code minCalls} decisions in the last {@code window}
 * and at least {@code failureRatio} of them failed.
 *
 * @param window how far back decisions are counted
 * @param minCalls fewest decisions in the window before Redis can be judged unavailable
 * @param failureRatio share of failed decisions (0 to 1) at which it is
 */
public record RedisHealthConfig(Duration window, int minCalls, double failureRatio) {}
