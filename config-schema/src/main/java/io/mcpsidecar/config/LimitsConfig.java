package io.mcpsidecar.config;

import java.util.List;

/**
 * How much each tenant may call, counted in MCP calls.
 *
 * @param backend where rate and quota counters live
 * @param redis the Redis backend
 * @param failMode what a decision does when Redis cannot answer
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
    Backend backend,
    RedisConfig redis,
    FailMode failMode,
    List<String> countedMethods,
    RateConfig requests,
    List<ToolRateConfig> tools,
    List<CostConfig> costs,
    QuotaConfig quotas,
    int concurrency,
    StreamsConfig streams,
    RateConfig global,
    int maxTrackedTenants) {

  /** Where rate and quota counters live. */
  public enum Backend implements Spelled {
    /** In this agent's memory. */
    LOCAL("local"),
    /** In Redis, shared by every replica. */
    REDIS("redis");

    private final String spelling;

    Backend(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }

  /** What a decision does when the Redis backend cannot answer in time. */
  public enum FailMode implements Spelled {
    /** The call goes through (counted and logged). */
    OPEN("open"),
    /** The call is refused with 503. */
    CLOSED("closed");

    private final String spelling;

    FailMode(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }

  public LimitsConfig {
    countedMethods = List.copyOf(countedMethods);
    tools = List.copyOf(tools);
    costs = List.copyOf(costs);
  }
}
