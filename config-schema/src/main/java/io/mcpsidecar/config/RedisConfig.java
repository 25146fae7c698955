package io.mcpsidecar.config;

import java.time.Duration;
import java.util.List;

/**
 * The Redis limits backend.
 *
 * @param url {@code redis://host:port[/db]} or {@code rediss://...}
 * @param tls whether to connect with TLS
 * @param password Redis AUTH password; empty: none
 * @param keyPrefix prefix of every key the agent writes
 * @param timeout longest a decision waits for Redis
 * @param health when Redis counts as unavailable
 * @param mode standalone, sentinel or cluster
 * @param sentinels sentinel mode: the Sentinels, {@code host:port}
 * @param masterName sentinel mode: the name of the monitored master
 * @param nodes cluster mode: seed nodes, {@code host:port}
 */
public record RedisConfig(
    String url,
    boolean tls,
    Secret password,
    String keyPrefix,
    Duration timeout,
    RedisHealthConfig health,
    Mode mode,
    List<String> sentinels,
    String masterName,
    List<String> nodes) {

  public RedisConfig {
    sentinels = List.copyOf(sentinels);
    nodes = List.copyOf(nodes);
  }

  /** A standalone Redis at {@code url}. */
  public RedisConfig(
      String url,
      boolean tls,
      Secret password,
      String keyPrefix,
      Duration timeout,
      RedisHealthConfig health) {
    this(url, tls, password, keyPrefix, timeout, health, Mode.STANDALONE, List.of(), "", List.of());
  }

  /** How Redis is run. */
  public enum Mode implements Spelled {
    /** One server at {@code url}. */
    STANDALONE("standalone"),
    /** A master found through Sentinels and followed through failovers. */
    SENTINEL("sentinel"),
    /** A Redis Cluster. */
    CLUSTER("cluster");

    private final String spelling;

    Mode(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }
}
