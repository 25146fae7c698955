package io.mcpsidecar.agent.mcp;

import java.util.List;

/** The outcome of parsing a POSTed body: messages, or why the body is not acceptable. */
public sealed interface ParseResult {

  /** One message, or a batch of them. */
  record Parsed(List<JsonRpcMessage> messages, boolean batch) implements ParseResult {
    public Parsed {
      messages = List.copyOf(messages);
    }

    public JsonRpcMessage first() {
      return messages.get(0);
    }
  }

  /** Not JSON at all (JSON-RPC -32700). */
  record Malformed(String reason) implements ParseResult {}

  /**
   * JSON, but not a JSON-RPC 2.0 message (JSON-RPC -32600).
   *
   * @param id the id of the offending message when it could be read, as JSON text
   */
  record Invalid(String reason, String id) implements ParseResult {}
}
