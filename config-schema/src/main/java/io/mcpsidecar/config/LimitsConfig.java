package io.mcpsidecar.config;

import java.util.List;

/**
 * How much each tenant may call, counted in MCP calls.
 *
 * @param backend {@code local} or {@code redis}
 * @param redis the Redis backend
 * @param failMode {@code open} or {@code closed}: what a decision does when Redis cannot answer
 * @param countedMethods JSON-RPC methods that count
 * @param requests counted calls per interval per tenant
 * @param tools per-tool rates per tenant
 * @param costs weights of tool calls
 * @param quotas day and month quotas per tenant
 * @param concurrency calls of one tenant in flight at once; 0: unlimited
 * @param streams standalone GET streams open at once, per session and per tenant
 * @param global ceiling on all tenants together in this agent
 * @param maxTrackedTenants local backend: most tenants with buckets of their own
 */
public record LimitsConfig(
    String backend,
    RedisConfig redis,
    String failMode,
    List<String> countedMethods,
    RateConfig requests,
    List<ToolRateConfig> tools,
    List<CostConfig> costs,
    QuotaConfig quotas,
    int concurrency,
    StreamsConfig streams,
    RateConfig global,
    int maxTrackedTenants) {

  public LimitsConfig {
    countedMethods = List.copyOf(countedMethods);
    tools = List.copyOf(tools);
    costs = List.copyOf(costs);
  }
}
