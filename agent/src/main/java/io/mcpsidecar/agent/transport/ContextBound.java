package io.mcpsidecar.agent.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Brings the outcome of work that completes off the event loop (a Redis reply on a Lettuce thread,
 * a key set fetched for another call) back to the event loop of the call that awaits it, so a
 * stage's verdict is always applied on the call's own context. Bound the work itself (a timeout)
 * before handing it here: this waits as long as the work does.
 */
public final class ContextBound {

  private ContextBound() {}

  /** The work's outcome as a future whose handlers run on the caller's context. */
  public static <T> Future<T> await(CompletionStage<T> work) {
    CompletableFuture<T> done = work.toCompletableFuture();
    if (done.isDone()) { // the common case for local decisions: no hop at all
      try {
        return Future.succeededFuture(done.join());
      } catch (CompletionException | CancellationException e) {
        return Future.failedFuture(e.getCause() == null ? e : e.getCause());
      }
    }
    Context context = Vertx.currentContext();
    if (context == null) {
      return Future.fromCompletionStage(work);
    }
    Promise<T> promise = Promise.promise();
    work.whenComplete(
        (value, err) ->
            context.runOnContext(
                v -> {
                  if (err != null) {
                    promise.fail(err instanceof CompletionException c ? c.getCause() : err);
                  } else {
                    promise.complete(value);
                  }
                }));
    return promise.future();
  }
}
