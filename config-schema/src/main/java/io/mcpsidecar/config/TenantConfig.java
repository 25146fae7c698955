package io.mcpsidecar.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A tenant with limits, and optionally a policy rule set, of its own. Limit sections the file left
 * out were inherited from {@code limits} when the config was loaded, so every component is set.
 *
 * @param id the tenant id
 * @param requests counted calls per interval
 * @param tools per-tool rates
 * @param quotas day and month quotas
 * @param concurrency calls in flight at once; 0: unlimited
 * @param policy the tenant's own policy rule set, replacing {@code policy} as a whole; null: the
 *     top-level {@code policy} applies (never inherited key by key)
 */
public record TenantConfig(
    String id,
    RateConfig requests,
    List<ToolRateConfig> tools,
    QuotaConfig quotas,
    int concurrency,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable TenantPolicyConfig policy) {

  public TenantConfig {
    tools = List.copyOf(tools);
  }

  // The binder refuses null creator properties; the one optional section arrives as an Optional.
  @JsonCreator
  static TenantConfig bind(
      @JsonProperty("id") String id,
      @JsonProperty("requests") RateConfig requests,
      @JsonProperty("tools") List<ToolRateConfig> tools,
      @JsonProperty("quotas") QuotaConfig quotas,
      @JsonProperty("concurrency") int concurrency,
      @JsonProperty("policy") Optional<TenantPolicyConfig> policy) {
    return new TenantConfig(id, requests, tools, quotas, concurrency, policy.orElse(null));
  }
}
