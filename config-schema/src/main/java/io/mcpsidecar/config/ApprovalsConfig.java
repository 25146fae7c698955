package io.mcpsidecar.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Approvals of calls that matched an {@code approve} rule: how long they live, where they are kept
 * and who is told about new ones.
 *
 * @param ttl how long a pending or approved approval lives before it expires
 * @param holdTimeout how long a held call (SSE with a progress token) waits for a decision
 * @param store where approvals are kept
 * @param maxPending most pending approvals kept in memory (store memory)
 * @param notification where each new pending approval is announced (the key {@code notify}; a
 *     record component cannot be named {@code notify})
 */
public record ApprovalsConfig(
    Duration ttl,
    Duration holdTimeout,
    Store store,
    int maxPending,
    @JsonProperty("notify") NotifyConfig notification) {

  /** Where approvals are kept. */
  public enum Store implements Spelled {
    /** In this agent's memory, bounded by maxPending; a restart forgets them. */
    MEMORY("memory"),
    /** In Redis (the connection of limits.redis), shared by replicas, kept across restarts. */
    REDIS("redis");

    private final String spelling;

    Store(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }
}
