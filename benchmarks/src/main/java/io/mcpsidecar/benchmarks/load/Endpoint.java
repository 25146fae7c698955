package io.mcpsidecar.benchmarks.load;

/** Where MCP requests go: a host, a port and the MCP endpoint's path. */
public record Endpoint(String host, int port, String path) {

  public static Endpoint mcp(int port) {
    return new Endpoint("127.0.0.1", port, "/mcp");
  }

  public String url() {
    return "http://" + host + ":" + port + path;
  }
}
