package io.mcpsidecar.config;

import java.time.Duration;

/**
 * The MCP listener: where clients reach the agent, and how long and how much it waits for them.
 * Cannot change without a restart.
 *
 * @param host interface to bind
 * @param port TCP port to bind (0: any free port)
 * @param headerTimeout time a new connection has to deliver complete request headers
 * @param bodyTimeout time a request body has, extended by one second per {@code minBodyRate} bytes
 * @param minBodyRate slowest average body rate accepted, in bytes per second
 * @param idleTimeout time a keep-alive connection may wait between requests
 * @param maxBufferedBytes request-body bytes held at once over all requests in flight
 * @param maxConnections client connections open at once
 */
public record ListenConfig(
    String host,
    int port,
    Duration headerTimeout,
    Duration bodyTimeout,
    long minBodyRate,
    Duration idleTimeout,
    long maxBufferedBytes,
    int maxConnections) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9000;
}
