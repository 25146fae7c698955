package io.mcpsidecar.agent.mcp;

/**
 * The MCP transport eras that share one HTTP endpoint. What a proxy may do (batches, sessions,
 * header checks) depends on the era, so every message carries the era it was sent in.
 */
public enum McpEra {
  /** HTTP+SSE: a GET stream announces a message endpoint with an {@code endpoint} event. */
  V2024_11_05("2024-11-05", true, false, false),
  /** First Streamable HTTP revision; the only one that allows JSON-RPC batches. */
  V2025_03_26("2025-03-26", true, true, false),
  V2025_06_18("2025-06-18", false, true, false),
  V2025_11_25("2025-11-25", false, true, false),
  /** Stateless: no sessions or initialize; {@code Mcp-Method}/{@code Mcp-Name} headers required. */
  V2026_07_28("2026-07-28", false, false, true),
  /** A version this agent does not know; passed through untouched for the server to judge. */
  UNKNOWN("unknown", false, true, false);

  /** The version a server assumes when a request carries no {@code MCP-Protocol-Version}. */
  public static final McpEra DEFAULT = V2025_03_26;

  private final String version;
  private final boolean batches;
  private final boolean sessions;
  private final boolean stateless;

  McpEra(String version, boolean batches, boolean sessions, boolean stateless) {
    this.version = version;
    this.batches = batches;
    this.sessions = sessions;
    this.stateless = stateless;
  }

  public String version() {
    return version;
  }

  public boolean allowsBatches() {
    return batches;
  }

  public boolean hasSessions() {
    return sessions;
  }

  /** Whether this era requires the routing headers to mirror the body. */
  public boolean isStateless() {
    return stateless;
  }

  /** The era named by a protocol version string; {@link #UNKNOWN} for anything else. */
  public static McpEra of(String version) {
    if (version == null) {
      return UNKNOWN;
    }
    for (McpEra era : values()) {
      if (era != UNKNOWN && era.version.equals(version.trim())) {
        return era;
      }
    }
    // Later dated revisions keep the stateless rules of 2026-07-28.
    String v = version.trim();
    if (v.matches("\\d{4}-\\d{2}-\\d{2}") && v.compareTo(V2026_07_28.version) > 0) {
      return V2026_07_28;
    }
    return UNKNOWN;
  }
}
