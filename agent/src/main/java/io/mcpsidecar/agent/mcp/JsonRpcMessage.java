package io.mcpsidecar.agent.mcp;

/**
 * What the agent knows about one JSON-RPC message, without holding its body. Every string is capped
 * at {@link JsonRpcParser#MAX_FIELD_CHARS} so a hostile message cannot make it large.
 *
 * @param kind request, notification or response
 * @param id the id as JSON text ({@code 7} or {@code "abc"}), or null for notifications
 * @param method the method, or null for responses
 * @param target the tool or prompt name ({@code params.name}) or resource URI ({@code params.uri})
 *     where the method has one, else null
 * @param metaProtocolVersion {@code params._meta["io.modelcontextprotocol/protocolVersion"]}
 * @param metaTraceparent {@code params._meta.traceparent} (SEP-414)
 * @param protocolVersionParam {@code params.protocolVersion} of an initialize request
 * @param errorCode for a response: the JSON-RPC error code, or null for a result
 * @param toolError for a response: whether {@code result.isError} is true
 */
public record JsonRpcMessage(
    MessageKind kind,
    String id,
    String method,
    String target,
    String metaProtocolVersion,
    String metaTraceparent,
    String protocolVersionParam,
    Integer errorCode,
    boolean toolError) {

  public boolean isRequest() {
    return kind == MessageKind.REQUEST;
  }

  /** The kind of thing {@link #target} names, for logs and span attributes. */
  public TargetKind targetKind() {
    return TargetKind.of(method);
  }
}
