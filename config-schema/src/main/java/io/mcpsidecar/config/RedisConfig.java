package io.mcpsidecar.config;

import java.time.Duration;

/**
 * The Redis limits backend.
 *
 * @param url {@code redis://host:port[/db]} or {@code rediss://...}
 * @param tls whether to connect with TLS
 * @param password Redis AUTH password; empty: none
 * @param keyPrefix prefix of every key the agent writes
 * @param timeout longest a decision waits for Redis
 * @param health when Redis counts as unavailable
 */
public record RedisConfig(
    String url,
    boolean tls,
    Secret password,
    String keyPrefix,
    Duration timeout,
    RedisHealthConfig health) {}
