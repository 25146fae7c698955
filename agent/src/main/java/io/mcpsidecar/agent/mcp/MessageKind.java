package io.mcpsidecar.agent.mcp;

/** The three shapes of a JSON-RPC 2.0 message. */
public enum MessageKind {
  REQUEST,
  NOTIFICATION,
  RESPONSE
}
