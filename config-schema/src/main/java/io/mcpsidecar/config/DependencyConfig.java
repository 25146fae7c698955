package io.mcpsidecar.config;

import java.time.Duration;
import java.util.List;

/**
 * A dependency of the MCP server's tools, checked on a timer: exactly one of {@code http}, {@code
 * tcp} or {@code dns} is set.
 *
 * @param name the dependency's name in readiness, metrics and fail-fast answers
 * @param http an HTTP check; its url empty: none
 * @param tcp {@code host:port} that must accept connections; empty: not a TCP check
 * @param dns a name that must resolve; empty: not a DNS check
 * @param interval how often it is checked
 * @param timeout how long one check may take
 * @param unhealthyThreshold consecutive failures before it counts as down
 * @param healthyThreshold consecutive successes before it counts as up again
 * @param critical whether readiness fails while it is down
 * @param tools globs of the tools that need it
 * @param whenDown how a call of its tools is answered while it is down
 */
public record DependencyConfig(
    String name,
    HttpCheckConfig http,
    String tcp,
    String dns,
    Duration interval,
    Duration timeout,
    int unhealthyThreshold,
    int healthyThreshold,
    boolean critical,
    List<Glob> tools,
    WhenDown whenDown) {

  public DependencyConfig {
    tools = List.copyOf(tools);
  }

  /** How a call of a down dependency's tools is answered. */
  public enum WhenDown implements Spelled {
    /** A tool result with {@code isError: true} that the model can read and react to. */
    TOOL_ERROR("toolError"),
    /** JSON-RPC error -32016 {@code degraded} with {@code Retry-After}. */
    ERROR("error");

    private final String spelling;

    WhenDown(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }
}
