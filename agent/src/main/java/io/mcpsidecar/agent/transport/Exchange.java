package io.mcpsidecar.agent.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One exchange on the MCP endpoint from the moment its headers are complete until it ends, which it
 * does exactly once whatever the client or the server does: answered, refused, failed, or left by
 * either side at any point. Touched only on its connection's event loop.
 *
 * <p>A client that leaves while the pipeline runs is not ended at once: the upstream request is
 * cancelled, but a stage may still take a permit (a concurrency slot) that its end hook must give
 * back, so the exchange ends when the pipeline has returned its outcome.
 */
final class Exchange {

  private final Supplier<McpCall> provisional;
  private final Consumer<McpCall> ender;
  private final List<Runnable> cleanups = new ArrayList<>(2);
  private McpCall call;
  private Runnable onClientGone;
  private List<Runnable> goneWatchers;
  private boolean deciding;
  private boolean clientGone;
  private boolean ended;

  /**
   * @param provisional the call to end with when the client leaves before its body was parsed
   * @param ender what ending a call means (counters, stage end hooks, listeners)
   */
  Exchange(Supplier<McpCall> provisional, Consumer<McpCall> ender) {
    this.provisional = provisional;
    this.ender = ender;
  }

  /** The call as far as it is known. */
  McpCall call() {
    if (call == null) {
      call = provisional.get();
    }
    return call;
  }

  void call(McpCall call) {
    this.call = call;
  }

  /** Runs once at the end, before the listeners hear of it (releases, timer cancels). */
  void atEnd(Runnable cleanup) {
    if (ended) {
      cleanup.run();
    } else {
      cleanups.add(cleanup);
    }
  }

  /**
   * What to do if the client leaves from now on (reset the upstream request, close a stream's
   * bookkeeping). Replaces what was set before; the exchange ends after it in any case.
   */
  void onClientGone(Runnable action) {
    this.onClientGone = action;
  }

  /**
   * Also runs {@code watcher} if the client leaves from now on, besides the one {@link
   * #onClientGone} action (a stage holding a call in a queue lets it go).
   */
  void watchClientGone(Runnable watcher) {
    if (ended) {
      return;
    }
    if (goneWatchers == null) {
      goneWatchers = new ArrayList<>(1);
    }
    goneWatchers.add(watcher);
  }

  boolean ended() {
    return ended;
  }

  /** Whether the client left (the connection closed before the response ended). */
  boolean clientGone() {
    return clientGone;
  }

  /** The client's connection closed before the response ended. */
  void clientLeft() {
    if (ended || clientGone) {
      return;
    }
    clientGone = true;
    Runnable action = onClientGone;
    onClientGone = null;
    if (action != null) {
      action.run();
    }
    if (goneWatchers != null) {
      List<Runnable> watchers = goneWatchers;
      goneWatchers = null;
      watchers.forEach(Runnable::run);
    }
    if (!deciding) {
      end();
    }
  }

  void deciding() {
    deciding = true;
  }

  /**
   * The pipeline has returned; true when its outcome may be written (the client is still there).
   */
  boolean decided() {
    deciding = false;
    if (clientGone) {
      end();
    }
    return !ended;
  }

  /** Ends the exchange; later calls do nothing. */
  void end() {
    if (ended) {
      return;
    }
    ended = true;
    onClientGone = null;
    goneWatchers = null;
    McpCall ending = call();
    for (Runnable cleanup : cleanups) {
      cleanup.run();
    }
    cleanups.clear();
    ender.accept(ending);
  }
}
