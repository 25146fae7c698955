package io.mcpsidecar.agent.mcp;

/**
 * Decides which era a POST belongs to. The {@code MCP-Protocol-Version} header wins; a 2026-07-28
 * request may also name its version in {@code _meta}; an initialize request names the version it
 * asks for; with none of these a server assumes 2025-03-26, and so does the agent.
 */
public final class EraDetector {

  private EraDetector() {}

  public static McpEra detect(String headerVersion, ParseResult.Parsed parsed) {
    if (headerVersion != null && !headerVersion.isBlank()) {
      return McpEra.of(headerVersion);
    }
    if (parsed != null && !parsed.batch()) {
      JsonRpcMessage message = parsed.first();
      if (message.metaProtocolVersion() != null) {
        return McpEra.of(message.metaProtocolVersion());
      }
      if ("initialize".equals(message.method()) && message.protocolVersionParam() != null) {
        McpEra asked = McpEra.of(message.protocolVersionParam());
        return asked == McpEra.UNKNOWN ? McpEra.DEFAULT : asked;
      }
    }
    return McpEra.DEFAULT;
  }
}
