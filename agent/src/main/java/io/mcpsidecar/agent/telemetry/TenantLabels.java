package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.TenantConfig;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code tenant} label of the call metrics as the limits' and the policy's are: the
 * config's tenants keep their own value, other tenants theirs first come, first served up to {@code
 * telemetry.metrics.maxTenants}, later ones share {@link LabelGuard#OTHER}. Tenant ids are short
 * and plain already (identity checks them).
 */
final class TenantLabels {

  private final Set<String> labelled = ConcurrentHashMap.newKeySet();
  private volatile Configured configured = new Configured(null, Set.of());

  private record Configured(AgentConfig from, Set<String> ids) {}

  String label(String tenant, int max, AgentConfig config) {
    if (labelled.contains(tenant) || configuredIds(config).contains(tenant)) {
      return tenant;
    }
    if (labelled.size() < max && labelled.add(tenant)) {
      return tenant;
    }
    return labelled.contains(tenant) ? tenant : LabelGuard.OTHER;
  }

  private Set<String> configuredIds(AgentConfig config) {
    Configured c = configured;
    if (c.from() != config) {
      Set<String> ids = new HashSet<>();
      for (TenantConfig tenant : config.tenants()) {
        ids.add(tenant.id());
      }
      c = new Configured(config, Set.copyOf(ids));
      configured = c;
    }
    return c.ids();
  }
}
