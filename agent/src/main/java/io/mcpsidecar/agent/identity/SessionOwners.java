package io.mcpsidecar.agent.identity;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which principal (tenant and subject) owns each MCP session. Only ids the server issued (the
 * {@code Mcp-Session-Id} of an initialize answer) or accepted (a successful answer to a request
 * carrying an id not known here) are recorded, never ids a client merely presented.
 *
 * <p>Bounded in bytes: each entry costs its id, its principal and {@link #ENTRY_OVERHEAD}. An owned
 * session is never forgotten to make room while it is in use, since a forgotten session the server
 * still accepts is adopted by the next principal that presents it. Room is made only from entries
 * idle for at least the idle timeout; when there are none, a new session is refused. An initialize
 * reserves room for the longest id it may be given before it is forwarded, so the session the
 * server opens always fits. Reads are lock-free; changes to the byte count take the lock, and
 * happen once per session, not per call. Thread-safe.
 */
final class SessionOwners {

  /** Bytes an entry costs besides its strings' contents: map node, record, string headers. */
  static final int ENTRY_OVERHEAD = 160;

  /** How a presented session id relates to a principal. */
  enum Standing {
    /** The principal owns it. */
    OWNER,
    /** Another principal owns it: answered as an unknown session. */
    OTHER,
    /** Not known here: the server decides, and a successful answer binds it. */
    UNKNOWN
  }

  private static final class Owner {
    final String principal;
    final long cost;
    volatile long lastUsed;

    Owner(String principal, long cost, long now) {
      this.principal = principal;
      this.cost = cost;
      this.lastUsed = now;
    }
  }

  private final Clock clock;
  private final Map<String, Owner> owners = new ConcurrentHashMap<>();
  private long bytes; // guarded by this
  private long reserved; // guarded by this
  private long nextIdleAt = Long.MIN_VALUE; // guarded by this: no entry is idle before it

  SessionOwners(Clock clock) {
    this.clock = clock;
  }

  /** What an entry for this id and principal costs. */
  static long cost(int idLength, String principal) {
    return idLength + bytes(principal) + ENTRY_OVERHEAD;
  }

  /** Where {@code principal} stands with the session; marks it used when it is the owner. */
  Standing standing(String sessionId, String principal) {
    Owner owner = owners.get(sessionId);
    if (owner == null) {
      return Standing.UNKNOWN;
    }
    if (!owner.principal.equals(principal)) {
      return Standing.OTHER;
    }
    owner.lastUsed = clock.millis();
    return Standing.OWNER;
  }

  /**
   * Reserves {@code cost} bytes for a session about to be opened, making room from idle entries if
   * needed. False when the table is full of sessions in use: the session must not be opened.
   */
  synchronized boolean reserve(long cost, long maxBytes, Duration idleTimeout) {
    if (!fits(cost, maxBytes, idleTimeout)) {
      return false;
    }
    reserved += cost;
    return true;
  }

  synchronized void release(long cost) {
    reserved -= cost;
  }

  /**
   * Records the session the server issued to {@code principal}, in the room {@code reservedCost}
   * reserved (which covers any id the edge lets through). The server's word wins over an adoption
   * that slipped in between its answer and this.
   */
  synchronized void bindIssued(
      String sessionId, String principal, long reservedCost, Duration idleTimeout) {
    reserved -= reservedCost;
    long cost = cost(sessionId.length(), principal);
    Owner previous = owners.put(sessionId, added(principal, cost, idleTimeout));
    bytes += cost - (previous == null ? 0 : previous.cost);
  }

  /**
   * Records a session the server accepted from {@code principal} that was not known here (opened
   * before this agent started, or forgotten while idle), if it fits. When it does not, it stays
   * unknown: no live entry is given up for it.
   */
  synchronized boolean adopt(
      String sessionId, String principal, long maxBytes, Duration idleTimeout) {
    if (owners.containsKey(sessionId)) {
      return false;
    }
    long cost = cost(sessionId.length(), principal);
    if (!fits(cost, maxBytes, idleTimeout)) {
      return false;
    }
    owners.put(sessionId, added(principal, cost, idleTimeout));
    bytes += cost;
    return true;
  }

  private Owner added(String principal, long cost, Duration idleTimeout) {
    long now = clock.millis();
    nextIdleAt = Math.min(nextIdleAt, now + idleTimeout.toMillis());
    return new Owner(principal, cost, now);
  }

  /** Forgets the session if {@code principal} owns it (it deleted it, or the server forgot it). */
  synchronized void forget(String sessionId, String principal) {
    Owner owner = owners.get(sessionId);
    if (owner != null && owner.principal.equals(principal)) {
      owners.remove(sessionId);
      bytes -= owner.cost;
    }
  }

  int size() {
    return owners.size();
  }

  /** Bytes the entries cost, plus the room reserved for sessions being opened. */
  synchronized long bytes() {
    return bytes + reserved;
  }

  // Scans only when some entry may have gone idle since the last scan, so a table full of
  // sessions in use does not cost a scan per refused initialize.
  private boolean fits(long cost, long maxBytes, Duration idleTimeout) {
    if (bytes + reserved + cost <= maxBytes) {
      return true;
    }
    long now = clock.millis();
    if (now < nextIdleAt) {
      return false;
    }
    long idle = idleTimeout.toMillis();
    long earliest = Long.MAX_VALUE;
    for (Iterator<Owner> it = owners.values().iterator(); it.hasNext(); ) {
      Owner owner = it.next();
      long used = owner.lastUsed;
      if (now - used >= idle) {
        it.remove();
        bytes -= owner.cost;
      } else {
        earliest = Math.min(earliest, used + idle);
      }
    }
    nextIdleAt = earliest;
    return bytes + reserved + cost <= maxBytes;
  }

  /** Heap bytes of a string's contents: one per char when all are Latin-1, else two. */
  private static long bytes(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return 2L * s.length();
      }
    }
    return s.length();
  }
}
