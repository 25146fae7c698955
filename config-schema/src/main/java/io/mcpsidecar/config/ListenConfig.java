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
 * @param instances listener instances sharing the port, each on its own event loop; 0: one per
 *     available processor (see {@link #eventLoops()})
 */
public record ListenConfig(
    String host,
    int port,
    Duration headerTimeout,
    Duration bodyTimeout,
    long minBodyRate,
    Duration idleTimeout,
    long maxBufferedBytes,
    int maxConnections,
    int instances) {
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9000;

  /** The most instances that can be configured. */
  public static final int MAX_INSTANCES = 64;

  /** How many listener instances run: {@code instances}, or the available processors when 0. */
  public int eventLoops() {
    return instances > 0
        ? instances
        : Math.min(MAX_INSTANCES, Runtime.getRuntime().availableProcessors());
  }
}
