package io.mcpsidecar.config;

import java.time.Duration;

/**
 * The check of the MCP server.
 *
 * @param check an MCP ping at the protocol level, or only a TCP connect
 * @param protocolVersion {@code auto} (a session opened with initialize) or the version to speak
 * @param interval how often the server is checked
 * @param timeout how long one check may take
 * @param healthyThreshold consecutive successes before a server that was down counts as up
 * @param unhealthyThreshold consecutive failures before a server that was up counts as down
 */
public record ServerCheckConfig(
    Check check,
    String protocolVersion,
    Duration interval,
    Duration timeout,
    int healthyThreshold,
    int unhealthyThreshold) {

  /** How the server is checked. */
  public enum Check implements Spelled {
    /** An MCP ping: the server answers JSON-RPC. */
    MCP("mcp"),
    /** A TCP connect: the server accepts connections. */
    TCP("tcp");

    private final String spelling;

    Check(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }
}
