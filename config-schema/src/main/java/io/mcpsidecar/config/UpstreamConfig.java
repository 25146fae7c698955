package io.mcpsidecar.config;

import java.net.URI;
import java.time.Duration;

/**
 * The MCP server the agent fronts.
 *
 * @param url absolute http(s) URL of the server's MCP endpoint; requests keep their own path and go
 *     to this URL's scheme, host and port
 * @param connectTimeout how long to wait for a TCP connection to the server
 * @param responseTimeout how long a non-streaming response may take, from request sent to last
 *     byte; streams (SSE) are exempt once their headers arrive
 * @param maxConnections the size of the pool for calls towards the server
 * @param streamConnections the size of the separate pool for standalone GET streams
 * @param healthInterval how often readiness probes the server
 */
public record UpstreamConfig(
    URI url,
    Duration connectTimeout,
    Duration responseTimeout,
    int maxConnections,
    int streamConnections,
    Duration healthInterval) {}
