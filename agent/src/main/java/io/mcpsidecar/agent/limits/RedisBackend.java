package io.mcpsidecar.agent.limits;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.mcpsidecar.config.RedisConfig;
import io.mcpsidecar.config.RedisHealthConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets in Redis through Bucket4j's Lettuce integration (compare-and-swap on the bucket's state),
 * shared by every agent that uses the same Redis and key prefix, and kept across restarts. Every
 * call is asynchronous and bounded by the caller's timeout; while Redis is unreachable commands
 * fail at once instead of queueing (Lettuce reconnects in the background), and once enough of the
 * recent calls failed ({@link RedisHealth}) Redis is left alone for {@link #BACKOFF} so that each
 * decision does not wait for a timeout. Buckets expire from Redis once refilled (plus a minute), so
 * idle tenants cost no memory there.
 */
final class RedisBackend implements LimitBackend {

  static final Duration BACKOFF = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);

  private final Clock clock;
  private final String keyPrefix;
  private final RedisLink link;
  private final boolean ownsLink;
  private final AtomicReference<StatefulConnection<byte[], byte[]>> connection =
      new AtomicReference<>();
  private final AtomicReference<AsyncProxyManager<byte[]>> buckets = new AtomicReference<>();
  private final RedisHealth health;
  private volatile boolean closed;

  /** A backend over a client of its own, closed with it; for tests. */
  RedisBackend(RedisConfig config, Clock clock) {
    this(RedisLink.open(config), true, config, clock, config::health);
  }

  /**
   * A backend over {@code link}, which the caller owns and closes; the health window is read from
   * {@code health} at each call, so a reload applies to it.
   */
  RedisBackend(
      RedisLink link, RedisConfig config, Clock clock, Supplier<RedisHealthConfig> health) {
    this(link, false, config, clock, health);
  }

  private RedisBackend(
      RedisLink link,
      boolean ownsLink,
      RedisConfig config,
      Clock clock,
      Supplier<RedisHealthConfig> health) {
    this.clock = clock;
    this.health = new RedisHealth(clock, health);
    this.keyPrefix = config.keyPrefix();
    this.link = link;
    this.ownsLink = ownsLink;
    connect();
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public CompletableFuture<ConsumptionProbe> tryConsume(
      String tenant, Demand demand, long version, Duration timeout) {
    AsyncProxyManager<byte[]> manager = buckets.get();
    if (manager == null) {
      return CompletableFuture.failedFuture(new IOException("not connected to Redis"));
    }
    if (health.unavailable()) {
      return CompletableFuture.failedFuture(
          new IOException("Redis is unavailable: too many of its recent calls failed"));
    }
    CompletableFuture<ConsumptionProbe> probe;
    try {
      probe =
          proxy(manager, tenant, demand, version)
              .tryConsumeAndReturnRemaining(demand.tokens())
              .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      probe = CompletableFuture.failedFuture(e);
    }
    return probe.whenComplete((p, err) -> health.record(err != null));
  }

  @Override
  public void refund(String tenant, Demand demand, long version, Duration timeout) {
    AsyncProxyManager<byte[]> manager = buckets.get();
    if (manager != null) {
      try {
        proxy(manager, tenant, demand, version)
            .addTokens(demand.tokens())
            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        LOG.atDebug().setCause(e).log("refund failed");
      }
    }
  }

  /** Whether the connection is up (it reconnects by itself after a loss). */
  boolean connected() {
    StatefulConnection<byte[], byte[]> c = connection.get();
    return c != null && c.isOpen();
  }

  private AsyncBucketProxy proxy(
      AsyncProxyManager<byte[]> manager, String tenant, Demand demand, long version) {
    String key =
        keyPrefix
            + tenant
            + ':'
            + demand.name()
            + (demand.window() == null ? "" : ":" + demand.window());
    return manager
        .builder()
        .withImplicitConfigurationReplacement(version, TokensInheritanceStrategy.ADDITIVE)
        .build(
            key.getBytes(StandardCharsets.UTF_8),
            () -> CompletableFuture.completedFuture(demand.spec().configuration()));
  }

  private void connect() {
    link.connect()
        .whenComplete(
            (c, err) -> {
              if (err != null) {
                if (!closed) {
                  LOG.atWarn()
                      .addKeyValue("redis", link.describe())
                      .log("cannot connect to Redis, retrying in 1s: {}", err.toString());
                  CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(this::connect);
                }
                return;
              }
              if (closed) {
                c.closeAsync();
                return;
              }
              connection.set(c);
              buckets.set(
                  builder(c)
                      .clientClock(new ClockTimeMeter(clock))
                      .expirationAfterWrite(
                          ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                              Duration.ofMinutes(1)))
                      .build()
                      .asAsync());
            });
  }

  // Compare-and-swap on one key at a time: in a cluster each bucket lives on its key's slot.
  private static Bucket4jLettuce.LettuceBasedProxyManagerBuilder<byte[]> builder(
      StatefulConnection<byte[], byte[]> c) {
    return c instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster
        ? Bucket4jLettuce.casBasedBuilder(cluster.async())
        : Bucket4jLettuce.casBasedBuilder(((StatefulRedisConnection<byte[], byte[]>) c).async());
  }

  @Override
  public void close() {
    closed = true;
    StatefulConnection<byte[], byte[]> c = connection.getAndSet(null);
    CompletableFuture<?> connectionClosed =
        c == null ? CompletableFuture.completedFuture(null) : c.closeAsync();
    if (ownsLink) {
      connectionClosed.whenComplete((v, err) -> link.close());
    }
  }
}
