package io.mcpsidecar.config;

import java.util.List;

/**
 * A tenant with limits of its own. Sections the file left out were inherited from {@code limits}
 * when the config was loaded, so every component is set.
 *
 * @param id the tenant id
 * @param requests counted calls per interval
 * @param tools per-tool rates
 * @param quotas day and month quotas
 * @param concurrency calls in flight at once; 0: unlimited
 */
public record TenantConfig(
    String id,
    RateConfig requests,
    List<ToolRateConfig> tools,
    QuotaConfig quotas,
    int concurrency) {

  public TenantConfig {
    tools = List.copyOf(tools);
  }
}
