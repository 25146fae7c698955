package io.mcpsidecar.agent.transport;

import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The responses currently relaying a server-sent event stream, so shutdown can end them cleanly and
 * in-flight calls can be counted. Responses are touched only on their own event loop.
 */
public final class ActiveStreams {

  private final Map<HttpServerResponse, Boolean> streams = new ConcurrentHashMap<>();
  private final Map<HttpServerResponse, Runnable> standalone = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger standaloneReserved = new AtomicInteger();

  /**
   * Reserves a place for a standalone GET stream in the stream pool, unless {@code max} are taken:
   * a GET past the pool is refused at once instead of queueing for a connection.
   */
  boolean tryReserveStandalone(int max) {
    while (true) {
      int current = standaloneReserved.get();
      if (current >= max) {
        return false;
      }
      if (standaloneReserved.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  void releaseStandalone() {
    standaloneReserved.decrementAndGet();
  }

  /** Standalone GET streams holding (or waiting for) a place in the stream pool. */
  public int standaloneReserved() {
    return standaloneReserved.get();
  }

  void add(HttpServerResponse response, boolean standalone) {
    streams.put(response, standalone);
  }

  void remove(HttpServerResponse response) {
    streams.remove(response);
  }

  /** A standalone GET exchange, from the moment it is sent (a server may hold its headers). */
  void addStandalone(HttpServerResponse response, Runnable closer) {
    standalone.put(response, closer);
  }

  void removeStandalone(HttpServerResponse response) {
    standalone.remove(response);
  }

  void callStarted() {
    inFlight.incrementAndGet();
  }

  void callEnded() {
    inFlight.decrementAndGet();
  }

  /** Exchanges (of any kind) that have started and not ended. */
  public int inFlight() {
    return inFlight.get();
  }

  public int openStreams() {
    return streams.size();
  }

  /** Standalone GET exchanges sent to the server and not ended (their headers may not be in). */
  public int standaloneStreams() {
    return standalone.size();
  }

  /**
   * Ends the standalone GET streams (the client reconnects, and resumes with Last-Event-ID where
   * the server supports it); streams answering a POST are calls in flight and may finish.
   */
  void endStandalone() {
    standalone.values().forEach(Runnable::run);
  }

  /** Ends every stream that is still open. */
  void endAll() {
    endStandalone();
    streams.keySet().forEach(ActiveStreams::endQuietly);
  }

  private static void endQuietly(HttpServerResponse response) {
    // Hop onto nothing: Vert.x responses may be ended from any thread; the write is dispatched to
    // the connection's event loop.
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }
}
