package io.mcpsidecar.config;

/**
 * Prometheus metrics.
 *
 * @param maxTargets most distinct target names used as label values before {@code other}
 * @param maxTenants most distinct tenants used as label values before {@code other}
 */
public record MetricsConfig(int maxTargets, int maxTenants) {}
