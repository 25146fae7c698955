package io.mcpsidecar.demo;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

/** The two shapes of tool result the demo returns: plain text, or a tool-level error. */
final class ToolResults {

  private ToolResults() {}

  static CallToolResult text(String text) {
    return CallToolResult.builder().addTextContent(text).isError(false).build();
  }

  /**
   * A tool execution error: a successful JSON-RPC response whose result has {@code isError=true},
   * as the MCP spec asks for failures the model should see (not a protocol error).
   */
  static CallToolResult error(String message) {
    return CallToolResult.builder().addTextContent(message).isError(true).build();
  }
}
