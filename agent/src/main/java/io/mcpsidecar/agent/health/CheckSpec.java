package io.mcpsidecar.agent.health;

import io.mcpsidecar.config.DependencyConfig;
import io.mcpsidecar.config.Glob;
import java.time.Duration;
import java.util.List;

/**
 * What a check is and how it runs; two equal specs are the same check, so that a reload that leaves
 * one unchanged keeps its state.
 *
 * @param name the dependency label in readiness, metrics and answers
 * @param kind how it is checked: {@code mcp}, {@code http}, {@code tcp}, {@code dns}, {@code redis}
 * @param target what it checks (a URL, {@code host:port}, a name), for readiness
 * @param interval time between the end of one run and the start of the next
 * @param timeout how long one run may take
 * @param jitter share of the interval added at random to each wait (0 to 1), so that replicas
 *     started together do not check in step
 * @param healthyThreshold successes in a row before a down check counts as up
 * @param unhealthyThreshold failures in a row before an up check counts as down
 * @param critical whether readiness fails while it is down
 * @param tools globs of the tools that fail fast while it is down
 * @param whenDown how those calls are answered
 */
public record CheckSpec(
    String name,
    String kind,
    String target,
    Duration interval,
    Duration timeout,
    double jitter,
    int healthyThreshold,
    int unhealthyThreshold,
    boolean critical,
    List<Glob> tools,
    DependencyConfig.WhenDown whenDown) {

  public CheckSpec {
    tools = List.copyOf(tools);
  }

  /** A check of the agent's own (Redis, JWKS, OTLP collector): no tools fail fast on it. */
  static CheckSpec own(
      String name,
      String kind,
      String target,
      Duration interval,
      Duration timeout,
      boolean critical) {
    return new CheckSpec(
        name,
        kind,
        target,
        interval,
        timeout,
        0.1,
        1,
        3,
        critical,
        List.of(),
        DependencyConfig.WhenDown.TOOL_ERROR);
  }

  boolean covers(String tool) {
    for (Glob glob : tools) {
      if (glob.matches(tool)) {
        return true;
      }
    }
    return false;
  }
}
