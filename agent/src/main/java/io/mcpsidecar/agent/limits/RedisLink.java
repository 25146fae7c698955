package io.mcpsidecar.agent.limits;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.mcpsidecar.config.LimitsConfig;
import io.mcpsidecar.config.RedisConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis client the limits share their counters through, and its I/O threads: a long-lived part
 * that the composition root opens and closes ({@link #open}, {@link #close}); the limits backend
 * only opens and closes its connection over it.
 *
 * <p>Three ways Redis is run ({@code limits.redis.mode}): one server; a master found through
 * Sentinels, asked again at every reconnect, so that a failover moves the connection to the new
 * master; a Redis Cluster, whose topology is refreshed on MOVED/ASK redirects, on reconnects and
 * every 10 seconds, so that a failover moves the slots' connections to the promoted replicas.
 */
public final class RedisLink implements AutoCloseable {

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final RedisURI uri;
  private final RedisConfig.Mode mode;
  // The health check's own connection, apart from the limits' one: a check never queues behind
  // decisions, and its failures are its own.
  private final AtomicReference<CompletableFuture<StatefulConnection<String, String>>> probe =
      new AtomicReference<>();

  private RedisLink(RedisConfig config) {
    this.mode = config.mode();
    this.uri = uri(config);
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build();
    if (mode == RedisConfig.Mode.CLUSTER) {
      List<RedisURI> seeds = config.nodes().stream().map(node -> nodeUri(config, node)).toList();
      RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
      cluster.setOptions(
          ClusterClientOptions.builder()
              .autoReconnect(true)
              // The connections to each node open on first use: rejecting commands while they
              // connect would fail the first decisions of every node. Queued commands stay bounded
              // by the timeout (and the queue size); limits.redis.health then skips Redis.
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
              .requestQueueSize(10_000)
              .socketOptions(socket)
              .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
              .topologyRefreshOptions(
                  ClusterTopologyRefreshOptions.builder()
                      .enablePeriodicRefresh(Duration.ofSeconds(10))
                      .enableAllAdaptiveRefreshTriggers()
                      .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                      .build())
              .build());
      this.client = cluster;
    } else {
      RedisClient single = RedisClient.create(resources, uri);
      single.setOptions(
          ClientOptions.builder()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .requestQueueSize(10_000)
              .socketOptions(socket)
              .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
              .build());
      this.client = single;
    }
  }

  private static RedisURI uri(RedisConfig config) {
    RedisURI parsed = RedisURI.create(config.url());
    RedisURI.Builder builder;
    if (config.mode() == RedisConfig.Mode.SENTINEL) {
      HostPort first = HostPort.of(config.sentinels().get(0));
      builder = RedisURI.Builder.sentinel(first.host(), first.port(), config.masterName());
      for (String sentinel : config.sentinels().subList(1, config.sentinels().size())) {
        HostPort s = HostPort.of(sentinel);
        builder.withSentinel(s.host(), s.port());
      }
      builder.withDatabase(parsed.getDatabase());
    } else {
      builder = RedisURI.builder(parsed);
    }
    builder.withSsl(config.tls() || parsed.isSsl()).withTimeout(config.timeout());
    if (!config.password().reveal().isEmpty()) {
      builder.withPassword(config.password().reveal().toCharArray());
    }
    return builder.build();
  }

  private static RedisURI nodeUri(RedisConfig config, String node) {
    HostPort at = HostPort.of(node);
    RedisURI.Builder builder =
        RedisURI.builder()
            .withHost(at.host())
            .withPort(at.port())
            .withSsl(config.tls() || config.url().startsWith("rediss:"))
            .withTimeout(config.timeout());
    if (!config.password().reveal().isEmpty()) {
      builder.withPassword(config.password().reveal().toCharArray());
    }
    return builder.build();
  }

  private record HostPort(String host, int port) {
    static HostPort of(String text) {
      int colon = text.lastIndexOf(':');
      String host = text.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new HostPort(host, Integer.parseInt(text.substring(colon + 1)));
    }
  }

  /** A client for {@code config}; it connects when the backend asks. */
  public static RedisLink open(RedisConfig config) {
    return new RedisLink(config);
  }

  /** Opens a connection for the buckets: to the server, the Sentinels' master, or the cluster. */
  CompletableFuture<StatefulConnection<byte[], byte[]>> connect() {
    if (client instanceof RedisClusterClient cluster) {
      // an asynchronous connect needs the topology loaded first
      return cluster
          .refreshPartitionsAsync()
          .thenCompose(v -> cluster.connectAsync(ByteArrayCodec.INSTANCE))
          .<StatefulConnection<byte[], byte[]>>thenApply(c -> c)
          .toCompletableFuture();
    }
    return ((RedisClient) client)
        .connectAsync(ByteArrayCodec.INSTANCE, uri)
        .<StatefulConnection<byte[], byte[]>>thenApply(c -> c)
        .toCompletableFuture();
  }

  /** Where it connects, for logs: {@code host:port}, the master's name, or the cluster. */
  String describe() {
    return switch (mode) {
      case STANDALONE -> uri.getHost() + ":" + uri.getPort();
      case SENTINEL -> "master " + uri.getSentinelMasterId() + " through Sentinels";
      case CLUSTER -> "cluster";
    };
  }

  /**
   * Sends PING on a connection of its own (opened on first use; it reconnects by itself) and
   * completes with the reply; fails when Redis cannot answer within the configured timeout. In
   * cluster mode the PING goes to a node of the cluster.
   */
  public CompletableFuture<String> ping() {
    CompletableFuture<StatefulConnection<String, String>> connection = probe.get();
    if (connection == null || connection.isCompletedExceptionally()) {
      CompletableFuture<StatefulConnection<String, String>> opened = openProbe();
      connection = probe.compareAndSet(probe.get(), opened) ? opened : probe.get();
    }
    return connection.thenCompose(
        c ->
            c instanceof StatefulRedisClusterConnection<String, String> cc
                ? cc.async().ping().toCompletableFuture()
                : ((StatefulRedisConnection<String, String>) c)
                    .async()
                    .ping()
                    .toCompletableFuture());
  }

  private CompletableFuture<StatefulConnection<String, String>> openProbe() {
    if (client instanceof RedisClusterClient cluster) {
      return cluster
          .refreshPartitionsAsync()
          .thenCompose(v -> cluster.connectAsync(StringCodec.UTF8))
          .<StatefulConnection<String, String>>thenApply(c -> c)
          .toCompletableFuture();
    }
    return ((RedisClient) client)
        .connectAsync(StringCodec.UTF8, uri)
        .<StatefulConnection<String, String>>thenApply(c -> c)
        .toCompletableFuture();
  }

  /**
   * The client the limits or the approvals need, over the settings of {@code limits.redis}: one
   * when either keeps its state in Redis, else null.
   */
  public static RedisLink openIfUsed(LimitsConfig limits, boolean approvalsInRedis) {
    return LimitStage.usesRedis(limits) || approvalsInRedis ? open(limits.redis()) : null;
  }

  /**
   * The client, for other parts that keep state in the same Redis (approvals): a standalone server
   * or the Sentinels' master.
   *
   * @throws IllegalStateException in cluster mode, which those parts do not support yet
   */
  public RedisClient client() {
    if (client instanceof RedisClient standalone) {
      return standalone;
    }
    throw new IllegalStateException(
        "policy.approvals.store redis needs limits.redis.mode standalone or sentinel, not cluster");
  }

  /** Where the client connects, with credentials and timeout. */
  public RedisURI uri() {
    return uri;
  }

  /** Shuts the client and its threads down, without waiting (bounded to about a second). */
  @Override
  public void close() {
    CompletableFuture<StatefulConnection<String, String>> connection = probe.getAndSet(null);
    if (connection != null) {
      connection.thenAccept(StatefulConnection::closeAsync);
    }
    client
        .shutdownAsync(0, 1, TimeUnit.SECONDS)
        .handle((v, err) -> resources.shutdown(0, 1, TimeUnit.SECONDS));
  }
}
