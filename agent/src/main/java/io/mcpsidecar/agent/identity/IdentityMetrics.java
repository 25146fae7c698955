package io.mcpsidecar.agent.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** {@code mcp_sidecar_identity_failures_total{reason}}: one series per failure reason. */
final class IdentityMetrics {

  private final Map<IdentityFailure, Counter> failures = new EnumMap<>(IdentityFailure.class);

  IdentityMetrics(MeterRegistry registry) {
    for (IdentityFailure failure : IdentityFailure.values()) {
      failures.put(
          failure,
          Counter.builder("mcp.sidecar.identity.failures")
              .description("Requests refused for identity, by reason")
              .tag("reason", failure.reason())
              .register(registry));
    }
  }

  void failed(IdentityFailure failure) {
    failures.get(failure).increment();
  }
}
