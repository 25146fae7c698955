package io.mcpsidecar.agent.transport;

import io.mcpsidecar.config.ListenConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the MCP listener lets clients hold: connections (a cap), time on a connection with no
 * request in progress (the header deadline of a new connection, the idle timeout of a kept-alive
 * one), and request-body bytes over all requests in flight (a cap).
 *
 * <p>Vert.x's own idle timeout is off on this listener because it would cut a live event stream
 * that has nothing to say. Instead each connection has one timer that runs only while no request is
 * in progress on it: it starts when the connection is accepted (header deadline) or when a response
 * ends (idle timeout) and is cancelled when the next request's headers are complete. Body deadlines
 * are per request ({@link BodyReader}). Timers run on the connection's event loop.
 */
public final class ListenerGuard {

  /** Where a connection ran out of time. */
  public enum Phase {
    /** A new connection did not complete its request headers in time. */
    HEADER,
    /** A request body did not arrive in time. */
    BODY,
    /** A kept-alive connection waited too long for its next request. */
    IDLE;

    /** The metric label. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Vertx vertx;
  private final ListenConfig config;
  private final Map<HttpConnection, Connection> connections = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong buffered = new AtomicLong();
  private final Map<Phase, AtomicLong> timeouts = new EnumMap<>(Phase.class);

  ListenerGuard(Vertx vertx, ListenConfig config) {
    this.vertx = vertx;
    this.config = config;
    for (Phase phase : Phase.values()) {
      timeouts.put(phase, new AtomicLong());
    }
  }

  ListenConfig config() {
    return config;
  }

  /** A connection was accepted: refused past the cap, else given its header deadline. */
  void accepted(HttpConnection conn) {
    if (open.incrementAndGet() > config.maxConnections()) {
      open.decrementAndGet();
      refused.incrementAndGet();
      conn.close();
      return;
    }
    Connection state = new Connection(conn);
    connections.put(conn, state);
    conn.closeHandler(
        v -> {
          if (connections.remove(conn) != null) {
            state.cancel();
            open.decrementAndGet();
          }
        });
    state.await(config.headerTimeout().toMillis(), Phase.HEADER);
  }

  /** A request's headers are complete: its connection's timer stops until its response ends. */
  void requestStarted(HttpServerRequest req) {
    Connection state = connections.get(req.connection());
    if (state == null) {
      return;
    }
    state.active++;
    state.cancel();
    req.response().endHandler(v -> state.requestEnded());
  }

  /** Reserves {@code bytes} of request body, unless that would go past the cap. */
  boolean tryBuffer(long bytes) {
    long max = config.maxBufferedBytes();
    while (true) {
      long now = buffered.get();
      if (now + bytes > max) {
        return false;
      }
      if (buffered.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Whether a body of {@code bytes} fits now (a hint; the bytes are reserved as they arrive). */
  boolean fits(long bytes) {
    return buffered.get() + bytes <= config.maxBufferedBytes();
  }

  void release(long bytes) {
    if (bytes > 0) {
      buffered.addAndGet(-bytes);
    }
  }

  void timedOut(Phase phase) {
    timeouts.get(phase).incrementAndGet();
  }

  /** Client connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** A connection past the cap was closed where it was accepted ({@link AcceptGate}). */
  void refusedAtAccept() {
    refused.incrementAndGet();
  }

  /** Connections closed at once because {@code listen.maxConnections} were open. */
  public long refusedConnections() {
    return refused.get();
  }

  /** Request-body bytes held now over all requests in flight. */
  public long bufferedBytes() {
    return buffered.get();
  }

  /** Connections or requests that ran out of time in {@code phase}. */
  public long timeouts(Phase phase) {
    return timeouts.get(phase).get();
  }

  /** One connection's timer. Touched only on the connection's event loop. */
  private final class Connection {
    private final HttpConnection conn;
    private long timer = -1;
    private int active;

    Connection(HttpConnection conn) {
      this.conn = conn;
    }

    void await(long millis, Phase phase) {
      cancel();
      timer =
          vertx.setTimer(
              millis,
              t -> {
                timer = -1;
                if (active == 0 && connections.containsKey(conn)) {
                  timedOut(phase);
                  conn.close();
                }
              });
    }

    void requestEnded() {
      active = Math.max(0, active - 1);
      if (active == 0 && connections.containsKey(conn)) {
        await(config.idleTimeout().toMillis(), Phase.IDLE);
      }
    }

    void cancel() {
      if (timer != -1) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
