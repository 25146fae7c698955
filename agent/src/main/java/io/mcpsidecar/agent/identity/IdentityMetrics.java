package io.mcpsidecar.agent.identity;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code mcp_sidecar_identity_failures_total{reason}}: one series per failure reason; the session
 * table's size ({@code mcp_sidecar_identity_sessions}, {@code
 * mcp_sidecar_identity_session_table_bytes}) and the sessions refused for want of room.
 */
final class IdentityMetrics {

  private final Map<IdentityFailure, Counter> failures = new EnumMap<>(IdentityFailure.class);

  private final Counter sessionsRefused;

  IdentityMetrics(MeterRegistry registry, SessionOwners sessions) {
    Gauge.builder("mcp.sidecar.identity.sessions", sessions, SessionOwners::size)
        .description("Sessions bound to the tenant and subject that opened them")
        .register(registry);
    Gauge.builder("mcp.sidecar.identity.session.table.bytes", sessions, SessionOwners::bytes)
        .description("Bytes the session table holds, counted as identity.sessions.maxBytes counts")
        .register(registry);
    sessionsRefused =
        Counter.builder("mcp.sidecar.identity.sessions.refused")
            .description("Initializes refused because the session table was full of live sessions")
            .register(registry);
    for (IdentityFailure failure : IdentityFailure.values()) {
      failures.put(
          failure,
          Counter.builder("mcp.sidecar.identity.failures")
              .description("Requests refused for identity, by reason")
              .tag("reason", failure.reason())
              .register(registry));
    }
  }

  void sessionRefused() {
    sessionsRefused.increment();
  }

  void failed(IdentityFailure failure) {
    failures.get(failure).increment();
  }
}
