package io.mcpsidecar.demo;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.net.URI;
import java.time.Duration;

/** Builds SDK clients pointed at a {@link DemoServer}, and reads their results. */
final class TestClients {

  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private TestClients() {}

  static McpClient.SyncSpec syncClient(DemoServer server) {
    URI url = URI.create(server.url());
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(url.getScheme() + "://" + url.getAuthority())
            .endpoint(url.getPath())
            .build();
    return McpClient.sync(transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT);
  }

  static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }
}
