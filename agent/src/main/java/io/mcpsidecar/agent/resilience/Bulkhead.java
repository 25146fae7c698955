package io.mcpsidecar.agent.resilience;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;

/**
 * Places for calls in flight to the server and a first-in first-out queue in front of them. Shared
 * by every event loop; the lock guards only counters and the queue, never I/O. A queued call waits
 * on a future, never on a thread: a place that frees is handed to the oldest waiter on that
 * waiter's own event loop, a timer on its loop ends its wait, and a waiter whose client left is
 * taken out.
 */
final class Bulkhead {

  /** Why a call got no place. */
  enum Shed {
    QUEUE_FULL("queue_full"),
    QUEUE_TIMEOUT("queue_timeout");

    final String label;

    Shed(String label) {
      this.label = label;
    }
  }

  /** A call that could not have a place; the future of its wait fails with it. */
  static final class ShedException extends RuntimeException {
    final Shed reason;

    ShedException(Shed reason) {
      super(reason.label, null, false, false);
      this.reason = reason;
    }
  }

  private final Object lock = new Object();
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private int inFlight;

  /** One queued call. Its promise completes on its own context. */
  final class Waiter {
    private final Context context;
    private final Promise<Void> granted = Promise.promise();
    private long timer = -1;

    private Waiter(Context context) {
      this.context = context;
    }

    Future<Void> future() {
      return granted.future();
    }

    /** Takes the waiter out of the queue (its client left); false when it had a place already. */
    boolean leave(RuntimeException why) {
      boolean removed;
      synchronized (lock) {
        removed = queue.remove(this);
      }
      if (removed) {
        cancelTimer();
        granted.tryFail(why);
      }
      return removed;
    }

    private void cancelTimer() {
      if (timer != -1) {
        context.owner().cancelTimer(timer);
        timer = -1;
      }
    }
  }

  /**
   * A place now (a waiter whose future is complete), a wait in the queue, or a refusal (a failed
   * future) when the queue is full. Must be called on {@code context}'s thread.
   *
   * @param maxInFlight the current bound (at least 1)
   * @param maxQueue how many may wait
   * @param timeoutMs how long one may wait
   */
  Waiter acquire(Context context, int maxInFlight, int maxQueue, long timeoutMs) {
    Waiter waiter = new Waiter(context);
    synchronized (lock) {
      if (inFlight < maxInFlight && queue.isEmpty()) {
        inFlight++;
        waiter.granted.complete();
        return waiter;
      }
      if (queue.size() >= maxQueue) {
        waiter.granted.fail(new ShedException(Shed.QUEUE_FULL));
        return waiter;
      }
      queue.addLast(waiter);
    }
    waiter.timer =
        context
            .owner()
            .setTimer(timeoutMs, t -> waiter.leave(new ShedException(Shed.QUEUE_TIMEOUT)));
    return waiter;
  }

  /**
   * Gives a place back: to the oldest waiter when the bound allows, else to the pool.
   *
   * @param maxInFlight the current bound (a lowered bound drains the excess first)
   */
  void release(int maxInFlight) {
    Waiter next = null;
    synchronized (lock) {
      if (!queue.isEmpty() && inFlight <= maxInFlight) {
        next = queue.pollFirst(); // the place passes to it: inFlight stays
      } else {
        inFlight--;
      }
    }
    if (next != null) {
      Waiter granted = next;
      granted.context.runOnContext(
          v -> {
            granted.cancelTimer();
            if (!granted.granted.tryComplete()) {
              release(maxInFlight); // it gave up meanwhile: pass the place on
            }
          });
    }
  }

  int inFlight() {
    synchronized (lock) {
      return inFlight;
    }
  }

  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }
}
