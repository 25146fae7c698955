package io.mcpsidecar.demo;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * One demo tool: its MCP descriptor and a handler written once for both server modes.
 *
 * @param tool the descriptor listed by {@code tools/list}
 * @param needsSession whether the tool talks back to the client (sampling, elicitation) and so
 *     exists only in stateful mode
 * @param handler the behaviour
 */
record DemoTool(Tool tool, boolean needsSession, Handler handler) {

  /** A tool's behaviour. Runs on a Reactor thread, never on a Jetty selector. */
  @FunctionalInterface
  interface Handler {
    Mono<CallToolResult> handle(Call call);
  }

  /**
   * One invocation.
   *
   * @param request the raw request (its {@code _meta} carries the progress token)
   * @param arguments typed view of the arguments
   * @param session the client session; empty in stateless mode, where the server cannot send the
   *     client anything but the response
   */
  record Call(
      CallToolRequest request, ToolArguments arguments, Optional<McpAsyncServerExchange> session) {}

  static Tool descriptor(
      String name, String description, Map<String, Object> properties, List<String> required) {
    return Tool.builder(name, objectSchema(properties, required)).description(description).build();
  }

  /** A closed object schema: unknown arguments are rejected by the SDK's input validation. */
  static Map<String, Object> objectSchema(Map<String, Object> properties, List<String> required) {
    return Map.of(
        "type",
        "object",
        "properties",
        properties,
        "required",
        required,
        "additionalProperties",
        false);
  }

  static Map<String, Object> property(String type, String description) {
    return Map.of("type", type, "description", description);
  }

  /** Runs the handler, turning argument problems into tool errors the caller can read. */
  Mono<CallToolResult> call(CallToolRequest request, Optional<McpAsyncServerExchange> session) {
    return Mono.defer(
            () ->
                handler.handle(new Call(request, new ToolArguments(request.arguments()), session)))
        .onErrorResume(
            IllegalArgumentException.class,
            e -> Mono.just(ToolResults.error("invalid arguments: " + e.getMessage())));
  }
}
