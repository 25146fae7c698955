package io.mcpsidecar.agent.limits;

import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where rate and quota buckets live: this agent's memory, or Redis shared by every replica. Every
 * operation is non-blocking; a remote one completes on the backend's own threads.
 */
interface LimitBackend {

  /** {@code local} or {@code redis}: the {@code backend} metric label. */
  String name();

  /**
   * Takes the demand's tokens if they are there, and says what is left.
   *
   * @param version the configuration version; a stored bucket of an older version is reconfigured
   *     first, keeping what was consumed (see docs/limits.md)
   * @param timeout how long a remote backend may take before the future fails
   */
  CompletableFuture<ConsumptionProbe> tryConsume(
      String tenant, Demand demand, long version, Duration timeout);

  /** Gives back tokens taken for a call that another limit then refused; best effort. */
  void refund(String tenant, Demand demand, long version, Duration timeout);

  /** Releases connections and threads. */
  default void close() {}
}
