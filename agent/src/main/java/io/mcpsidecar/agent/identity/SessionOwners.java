package io.mcpsidecar.agent.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which principal (tenant and subject) opened each MCP session, learned from the {@code
 * Mcp-Session-Id} the server returned to an initialize. A session id presented by anyone else is
 * answered as an unknown session. Bounded: beyond {@code capacity} sessions the least recently used
 * tenth is forgotten (a forgotten session is then bound again by its next use). Thread-safe.
 */
final class SessionOwners {

  private record Owner(String principal, AtomicLong lastUsed) {}

  private final int capacity;
  private final Map<String, Owner> owners = new ConcurrentHashMap<>();
  private final AtomicLong ticks = new AtomicLong();

  SessionOwners(int capacity) {
    this.capacity = capacity;
  }

  void bind(String sessionId, String principal) {
    if (owners.size() >= capacity && !owners.containsKey(sessionId)) {
      evictOldest();
    }
    owners.put(sessionId, new Owner(principal, new AtomicLong(ticks.incrementAndGet())));
  }

  /**
   * Whether {@code principal} may use the session: it opened it, or the session is unknown here
   * (opened before this agent started, or forgotten), in which case it becomes its owner.
   */
  boolean allows(String sessionId, String principal) {
    Owner owner = owners.get(sessionId);
    if (owner == null) {
      bind(sessionId, principal);
      return true;
    }
    owner.lastUsed().set(ticks.incrementAndGet());
    return owner.principal().equals(principal);
  }

  void forget(String sessionId) {
    owners.remove(sessionId);
  }

  int size() {
    return owners.size();
  }

  private synchronized void evictOldest() {
    if (owners.size() < capacity) {
      return; // another thread made room
    }
    List<Long> ages = new ArrayList<>(owners.size());
    owners.values().forEach(o -> ages.add(o.lastUsed().get()));
    ages.sort(null);
    long cutoff = ages.get(Math.max(0, ages.size() / 10 - 1));
    owners.values().removeIf(o -> o.lastUsed().get() <= cutoff);
  }
}
