package io.mcpsidecar.agent.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection cap of a listener, applied where connections are accepted rather than where Vert.x
 * hands them to an event loop.
 *
 * <p>Vert.x accepts on a thread of its own and queues each new connection for its event loop. When
 * clients connect faster than the event loop sets connections up (a flood, or an event loop short
 * of CPU), that queue grows without bound, each entry a channel and its pipeline, and a check in
 * the connection handler comes too late to help: the heap fills with connections not yet seen.
 * Counted here, from accept to close, a listener never holds more than its cap; a connection past
 * it is closed on the accepting thread before anything is built for it.
 *
 * <p>One gate per Vert.x instance ({@link GatedTransport}); a listener is gated once its port is
 * {@link #guard registered}. Other listeners of the instance (the admin port) are not gated.
 */
public final class AcceptGate {

  private final Map<Integer, Port> ports = new ConcurrentHashMap<>();

  /** Gates the listener on {@code port} with {@code guard}'s connection cap. */
  public void guard(int port, ListenerGuard guard) {
    ports.put(port, new Port(guard));
  }

  /** Stops gating {@code port}. */
  public void release(int port) {
    ports.remove(port);
  }

  /** The gate of a listening port, or null when the port is not gated. */
  Port port(int port) {
    return ports.get(port);
  }

  /** Connections of one listener from accept to close. */
  static final class Port {
    private final ListenerGuard guard;
    private final AtomicInteger held = new AtomicInteger();

    Port(ListenerGuard guard) {
      this.guard = guard;
    }

    /** Admits a just-accepted connection unless the cap is reached (then counts it refused). */
    boolean tryAdmit() {
      int max = guard.config().maxConnections();
      while (true) {
        int now = held.get();
        if (now >= max) {
          guard.refusedAtAccept();
          return false;
        }
        if (held.compareAndSet(now, now + 1)) {
          return true;
        }
      }
    }

    /** An admitted connection closed. */
    void closed() {
      held.decrementAndGet();
    }

    /** Connections admitted and not yet closed, those not yet set up by Vert.x included. */
    int held() {
      return held.get();
    }
  }
}
