package io.mcpsidecar.agent.mcp;

/** Which parameter names the target of an MCP method, and which header mirrors it. */
public enum TargetKind {
  TOOL("name"),
  PROMPT("name"),
  RESOURCE("uri"),
  NONE(null);

  private final String param;

  TargetKind(String param) {
    this.param = param;
  }

  /** The {@code params} member holding the target, or null when the method has none. */
  public String param() {
    return param;
  }

  public static TargetKind of(String method) {
    if (method == null) {
      return NONE;
    }
    return switch (method) {
      case "tools/call" -> TOOL;
      case "prompts/get" -> PROMPT;
      case "resources/read", "resources/subscribe", "resources/unsubscribe" -> RESOURCE;
      default -> NONE;
    };
  }
}
