package io.mcpsidecar.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole agent configuration: one immutable, validated snapshot. Readers take the current
 * snapshot from a supplier and never see half a config.
 */
public record AgentConfig(
    ListenConfig listen,
    AdminConfig admin,
    UpstreamConfig upstream,
    EdgeConfig edge,
    ShutdownConfig shutdown,
    LoggingConfig logging,
    TelemetryConfig telemetry,
    IdentityConfig identity,
    List<TenantConfig> tenants,
    LimitsConfig limits,
    PolicyConfig policy) {

  public AgentConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(edge, "edge");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(telemetry, "telemetry");
    Objects.requireNonNull(identity, "identity");
    tenants = List.copyOf(tenants);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(policy, "policy");
  }
}
