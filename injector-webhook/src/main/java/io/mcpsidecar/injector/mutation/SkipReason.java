package io.mcpsidecar.injector.mutation;

/**
 * Why a pod that reached the webhook did not get the agent. The {@link #label()} is what the pod
 * annotation, the metric label and the log line carry.
 */
public enum SkipReason {
  ALREADY_INJECTED("already-injected", "the pod already carries the MCP Sidecar agent"),
  OPT_OUT("opt-out", "the pod is labelled " + PodKeys.INJECT + "=false"),
  HOST_NETWORK(
      "host-network",
      "the pod uses hostNetwork: the agent's ports would be opened on the node itself"),
  EXCLUDED_NAMESPACE("excluded-namespace", "the namespace is excluded from injection"),
  NO_UPSTREAM_PORT(
      "no-upstream-port",
      "no upstream port found: set annotation "
          + PodKeys.UPSTREAM_PORT
          + ", name the MCP server's port \"mcp\", or give the pod one container with one port");

  private final String label;
  private final String explanation;

  SkipReason(String label, String explanation) {
    this.label = label;
    this.explanation = explanation;
  }

  /** Stable, kebab-case value for annotations, metric labels and logs. */
  public String label() {
    return label;
  }

  /** A sentence for the user, returned as an admission warning. */
  public String explanation() {
    return explanation;
  }
}
