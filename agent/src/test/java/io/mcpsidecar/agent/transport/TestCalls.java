package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/** Builds and finishes {@link McpCall}s for tests of other packages, as the transport would. */
public final class TestCalls {

  private TestCalls() {}

  /** A call carrying {@code messages}, started now. */
  public static McpCall call(AgentConfig config, HttpMethod method, JsonRpcMessage... messages) {
    return call("req-1", config, method, messages);
  }

  /** A call with request id {@code requestId} carrying {@code messages}, started now. */
  public static McpCall call(
      String requestId, AgentConfig config, HttpMethod method, JsonRpcMessage... messages) {
    return McpCall.builder(requestId, config)
        .method(method)
        .messages(List.of(messages), messages.length > 1)
        .build();
  }

  /** A principal of {@code tenant} identified by an API key, its subject the tenant's name. */
  public static Principal principal(String tenant) {
    return new Principal(tenant, tenant, Principal.Credential.API_KEY, null);
  }

  /** A tools/call request of {@code tool} with the given id. */
  public static JsonRpcMessage toolCall(String id, String tool) {
    return new JsonRpcMessage(
        MessageKind.REQUEST, id, "tools/call", tool, null, null, null, null, false);
  }

  /** The upstream's answer to request {@code id}: an error when {@code errorCode} is not null. */
  public static JsonRpcMessage response(String id, Integer errorCode, boolean toolError) {
    return new JsonRpcMessage(
        MessageKind.RESPONSE, id, null, null, null, null, null, errorCode, toolError);
  }

  /** Ends the call as relayed: the upstream's status and the answers it sent. */
  public static McpCall answered(McpCall call, int status, JsonRpcMessage... responses) {
    call.status(status);
    for (JsonRpcMessage response : responses) {
      call.recordResponse(response);
    }
    return call;
  }

  /** Marks the call's answer as an event stream, as the relay does. */
  public static McpCall streamed(McpCall call) {
    call.stream(true);
    return call;
  }

  /** Ends the call as rejected by the agent itself. */
  public static McpCall rejected(McpCall call, ErrorCode code) {
    call.rejectedWith(code);
    call.status(code.httpStatus());
    return call;
  }
}
