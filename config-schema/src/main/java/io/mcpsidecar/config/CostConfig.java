package io.mcpsidecar.config;

/**
 * The weight of calls to the tools matching a glob.
 *
 * @param match tool name glob
 * @param cost tokens one call takes
 */
public record CostConfig(Glob match, long cost) {}
