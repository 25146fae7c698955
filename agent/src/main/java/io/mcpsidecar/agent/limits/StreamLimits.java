package io.mcpsidecar.agent.limits;

import io.mcpsidecar.config.StreamsConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * Standalone GET streams open in this agent, per session and per tenant. An entry lives only while
 * streams are open, so the tables are bounded by the open streams. Both counts change together
 * under one lock (no I/O is done under it).
 */
final class StreamLimits {

  /** The limit a stream was refused by. */
  enum Refusal {
    SESSION("session"),
    TENANT("tenant");

    private final String label;

    Refusal(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private final Map<String, Integer> sessions = new HashMap<>();
  private final Map<String, Integer> tenants = new HashMap<>();

  /** Opens a stream of the tenant's session (null: none), or says which limit refuses it. */
  synchronized Refusal tryOpen(String tenant, String session, StreamsConfig limits) {
    String key = session == null ? null : sessionKey(tenant, session);
    if (key != null
        && limits.perSession() > 0
        && sessions.getOrDefault(key, 0) >= limits.perSession()) {
      return Refusal.SESSION;
    }
    if (limits.perTenant() > 0 && tenants.getOrDefault(tenant, 0) >= limits.perTenant()) {
      return Refusal.TENANT;
    }
    if (key != null) {
      sessions.merge(key, 1, Integer::sum);
    }
    tenants.merge(tenant, 1, Integer::sum);
    return null;
  }

  synchronized void close(String tenant, String session) {
    if (session != null) {
      sessions.computeIfPresent(sessionKey(tenant, session), (k, n) -> n <= 1 ? null : n - 1);
    }
    tenants.computeIfPresent(tenant, (k, n) -> n <= 1 ? null : n - 1);
  }

  synchronized int open(String tenant) {
    return tenants.getOrDefault(tenant, 0);
  }

  private static String sessionKey(String tenant, String session) {
    return tenant + '\u0000' + session;
  }
}
