package io.mcpsidecar.demo;

import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * The SDK's MCP server bound to its servlet transport, in one of two modes.
 *
 * <ul>
 *   <li>Stateful: {@link HttpServletStreamableServerTransportProvider}. Sessions via {@code
 *       Mcp-Session-Id}, GET opens the server-to-client SSE stream, DELETE ends a session, and
 *       every request is answered on an SSE stream (so progress, sampling and elicitation can be
 *       interleaved with the result).
 *   <li>Stateless: {@link HttpServletStatelessServerTransport}. No session id, one JSON response
 *       per POST, GET answers 405. Tools that need to talk back to the client are not offered.
 * </ul>
 */
final class McpEndpoint {

  static final String PATH = "/mcp";

  static final String SERVER_NAME = "mcp-sidecar-demo-server";

  static final String SERVER_VERSION = "0.1.0";

  /** How long a server-to-client request (sampling, elicitation) may wait for its answer. */
  static final Duration CLIENT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final HttpServlet servlet;

  private final Supplier<Mono<Void>> closer;

  private McpEndpoint(HttpServlet servlet, Supplier<Mono<Void>> closer) {
    this.servlet = servlet;
    this.closer = closer;
  }

  static McpEndpoint create(boolean stateless) {
    return stateless ? stateless() : stateful();
  }

  static List<DemoTool> tools(boolean stateless) {
    return Stream.concat(BasicTools.all().stream(), ClientRequestTools.all().stream())
        .filter(tool -> !(stateless && tool.needsSession()))
        .toList();
  }

  HttpServlet servlet() {
    return servlet;
  }

  void close() {
    closer.get().block(CLOSE_TIMEOUT);
  }

  private static McpEndpoint stateful() {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder().mcpEndpoint(PATH).build();
    McpAsyncServer server =
        McpServer.async(transport)
            .serverInfo(SERVER_NAME, SERVER_VERSION)
            .capabilities(capabilities())
            .requestTimeout(CLIENT_REQUEST_TIMEOUT)
            .tools(
                tools(false).stream()
                    .map(
                        tool ->
                            McpServerFeatures.AsyncToolSpecification.builder()
                                .tool(tool.tool())
                                .callHandler(
                                    (exchange, request) ->
                                        tool.call(request, Optional.of(exchange)))
                                .build())
                    .toList())
            .resources(
                new McpServerFeatures.AsyncResourceSpecification(
                    GreetingContent.resource(),
                    (exchange, request) -> Mono.fromCallable(() -> GreetingContent.read(request))))
            .prompts(
                new McpServerFeatures.AsyncPromptSpecification(
                    GreetingContent.prompt(),
                    (exchange, request) -> Mono.fromCallable(() -> GreetingContent.greet(request))))
            .build();
    return new McpEndpoint(transport, server::closeGracefully);
  }

  private static McpEndpoint stateless() {
    HttpServletStatelessServerTransport transport =
        HttpServletStatelessServerTransport.builder().messageEndpoint(PATH).build();
    McpStatelessAsyncServer server =
        McpServer.async(transport)
            .serverInfo(SERVER_NAME, SERVER_VERSION)
            .capabilities(capabilities())
            .requestTimeout(CLIENT_REQUEST_TIMEOUT)
            .tools(
                tools(true).stream()
                    .map(
                        tool ->
                            McpStatelessServerFeatures.AsyncToolSpecification.builder()
                                .tool(tool.tool())
                                .callHandler(
                                    (context, request) -> tool.call(request, Optional.empty()))
                                .build())
                    .toList())
            .resources(
                new McpStatelessServerFeatures.AsyncResourceSpecification(
                    GreetingContent.resource(),
                    (context, request) -> Mono.fromCallable(() -> GreetingContent.read(request))))
            .prompts(
                new McpStatelessServerFeatures.AsyncPromptSpecification(
                    GreetingContent.prompt(),
                    (context, request) -> Mono.fromCallable(() -> GreetingContent.greet(request))))
            .build();
    return new McpEndpoint(transport, server::closeGracefully);
  }

  private static ServerCapabilities capabilities() {
    return ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build();
  }
}
