package io.mcpsidecar.agent.limits;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.mcpsidecar.config.LimitsConfig;
import io.mcpsidecar.config.RedisConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Redis client the limits share their counters through, and its I/O threads: a long-lived part
 * that the composition root opens and closes ({@link #open}, {@link #close}); the limits backend
 * only opens and closes its connection over it.
 */
public final class RedisLink implements AutoCloseable {

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;

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

  /**
   * The client the limits or the approvals need, over the settings of {@code limits.redis}: one
   * when either keeps its state in Redis, else null.
   */
  public static RedisLink openIfUsed(LimitsConfig limits, boolean approvalsInRedis) {
    return LimitStage.usesRedis(limits) || approvalsInRedis ? open(limits.redis()) : null;
  }

  /** The client, for other parts that keep state in the same Redis (approvals). */
  public RedisClient client() {
    return client;
  }

  /** Where the client connects, with credentials and timeout. */
  public RedisURI uri() {
    return uri;
  }

  /** Shuts the client and its threads down, without waiting (bounded to about a second). */
  @Override
  public void close() {
    client
        .shutdownAsync(0, 1, TimeUnit.SECONDS)
        .handle((v, err) -> resources.shutdown(0, 1, TimeUnit.SECONDS));
  }
}
