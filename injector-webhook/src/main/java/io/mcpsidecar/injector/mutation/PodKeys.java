package io.mcpsidecar.injector.mutation;

import java.util.List;

/** The labels and annotations of the injection contract (prefix {@code mcp-sidecar.io/}). */
public final class PodKeys {
  public static final String PREFIX = "mcp-sidecar.io/";

  /** Label (pod or namespace): {@code "true"} opts in, {@code "false"} opts out. */
  public static final String INJECT = PREFIX + "inject";

  /** Label set on every injected pod. */
  public static final String INJECTED = PREFIX + "injected";

  /** Label that marks a pod as an MCP server for the catalog, with or without the agent. */
  public static final String MCP_SERVER = PREFIX + "mcp-server";

  /** Annotation written on injected pods: the injector version that produced the patch. */
  public static final String INJECTED_VERSION = PREFIX + "injected-version";

  /** Annotation written on injected pods: how the upstream port and mode were chosen (JSON). */
  public static final String STATUS = PREFIX + "status";

  /** Annotation written on skipped pods: why the agent was not injected. */
  public static final String SKIP_REASON = PREFIX + "skip-reason";

  public static final String IMAGE = PREFIX + "image";
  public static final String CONFIG_MAP = PREFIX + "config-map";
  public static final String ENV_FROM_SECRET = PREFIX + "env-from-secret";
  public static final String UPSTREAM_PORT = PREFIX + "upstream-port";
  public static final String LISTEN_PORT = PREFIX + "listen-port";
  public static final String ADMIN_PORT = PREFIX + "admin-port";
  public static final String LOG_LEVEL = PREFIX + "log-level";
  public static final String NATIVE_SIDECAR = PREFIX + "native-sidecar";
  public static final String CPU_REQUEST = PREFIX + "cpu-request";
  public static final String CPU_LIMIT = PREFIX + "cpu-limit";
  public static final String MEMORY_REQUEST = PREFIX + "memory-request";
  public static final String MEMORY_LIMIT = PREFIX + "memory-limit";

  /** Every annotation a user may set, in the order the docs list them. */
  public static final List<String> USER_ANNOTATIONS =
      List.of(
          IMAGE,
          CONFIG_MAP,
          ENV_FROM_SECRET,
          UPSTREAM_PORT,
          LISTEN_PORT,
          ADMIN_PORT,
          LOG_LEVEL,
          NATIVE_SIDECAR,
          CPU_REQUEST,
          CPU_LIMIT,
          MEMORY_REQUEST,
          MEMORY_LIMIT);

  /** Keys under the prefix that the injector itself writes, or that are labels set as such. */
  public static final List<String> WRITTEN_OR_LABELS =
      List.of(INJECT, INJECTED, MCP_SERVER, INJECTED_VERSION, STATUS, SKIP_REASON);

  /** The name of the agent container; its presence also marks a pod as injected. */
  public static final String AGENT_CONTAINER = "mcp-sidecar";

  public static final String CONFIG_VOLUME = "mcp-sidecar-config";
  public static final String TMP_VOLUME = "mcp-sidecar-tmp";

  /** Port name of the agent's admin listener (at most 15 characters, as Kubernetes demands). */
  public static final String ADMIN_PORT_NAME = "mcp-sidecar-adm";

  private PodKeys() {}
}
