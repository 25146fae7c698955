package io.mcpsidecar.agent.limits;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.mcpsidecar.config.LimitsConfig;
import io.mcpsidecar.config.RedisConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis client the limits share their counters through, and its I/O threads: a long-lived part
 * that the composition root opens and closes ({@link #open}, {@link #close}); the limits backend
 * only opens and closes its connection over it.
 */
public final class RedisLink implements AutoCloseable {

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  // The health check's own connection, apart from the limits' one: a check never queues behind
  // decisions, and its failures are its own.
  private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> probe =
      new AtomicReference<>();

  private RedisLink(RedisConfig config) {
    RedisURI parsed = RedisURI.create(config.url());
    RedisURI.Builder builder =
        RedisURI.builder(parsed)
            .withSsl(config.tls() || parsed.isSsl())
            .withTimeout(config.timeout());
    if (!config.password().reveal().isEmpty()) {
      builder.withPassword(config.password().reveal().toCharArray());
    }
    this.uri = builder.build();
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(10_000)
            .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
            .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
            .build());
  }

  /** A client for {@code config}; it connects when the backend asks. */
  public static RedisLink open(RedisConfig config) {
    return new RedisLink(config);
  }

  /** The client {@code limits} needs: one when {@code limits.backend} is Redis, else null. */
  public static RedisLink openIfUsed(LimitsConfig limits) {
    return LimitStage.usesRedis(limits) ? open(limits.redis()) : null;
  }

  RedisClient client() {
    return client;
  }

  RedisURI uri() {
    return uri;
  }

  /**
   * Sends PING on a connection of its own (opened on first use; it reconnects by itself) and
   * completes with the reply; fails when Redis cannot answer within the configured timeout.
   */
  public CompletableFuture<String> ping() {
    CompletableFuture<StatefulRedisConnection<String, String>> connection = probe.get();
    if (connection == null || connection.isCompletedExceptionally()) {
      CompletableFuture<StatefulRedisConnection<String, String>> opened =
          client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
      connection = probe.compareAndSet(probe.get(), opened) ? opened : probe.get();
    }
    return connection.thenCompose(c -> c.async().ping().toCompletableFuture());
  }

  /** Shuts the client and its threads down, without waiting (bounded to about a second). */
  @Override
  public void close() {
    CompletableFuture<StatefulRedisConnection<String, String>> connection = probe.getAndSet(null);
    if (connection != null) {
      connection.thenAccept(StatefulRedisConnection::closeAsync);
    }
    client
        .shutdownAsync(0, 1, TimeUnit.SECONDS)
        .handle((v, err) -> resources.shutdown(0, 1, TimeUnit.SECONDS));
  }
}
