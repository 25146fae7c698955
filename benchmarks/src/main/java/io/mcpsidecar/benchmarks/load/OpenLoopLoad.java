package io.mcpsidecar.benchmarks.load;

import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A constant-rate (open-loop) generator. Call {@code i} is due at {@code start + i / rate} whether
 * or not earlier calls have been answered; when every connection is busy it waits in a backlog, and
 * its latency is counted from the time it was due, not from the time it could be sent. A stalled
 * proxy therefore shows up as the queueing delay real clients would see (no coordinated omission).
 *
 * <p>A scheduler thread only decides what is due; everything else runs on one event loop.
 */
public final class OpenLoopLoad {

  /** The run: a constant rate for a warm-up, then for the measured window, over N connections. */
  public record Plan(double rate, Duration warmup, Duration measure, int connections) {}

  private static final long FIRST_ID = 1_000_000; // 7-digit ids keep the body at 1 KiB

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Endpoint endpoint;

  public OpenLoopLoad(Vertx vertx, HttpClientAgent client, Endpoint endpoint) {
    this.vertx = vertx;
    this.client = client;
    this.endpoint = endpoint;
  }

  public LoadResult run(Plan plan, MeasureWindow window) {
    Context context = vertx.getOrCreateContext();
    State state = new State(context);
    join(context, () -> state.open(plan.connections()));

    long period = (long) (1_000_000_000L / plan.rate());
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long measureFrom = start + plan.warmup().toNanos();
    long measureTo = measureFrom + plan.measure().toNanos();
    long total = (measureTo - start) / period;
    state.measureFrom = measureFrom;
    state.measureTo = measureTo;

    boolean opened = false;
    long scheduled = 0;
    while (scheduled < total) {
      long now = System.nanoTime();
      if (!opened && now >= measureFrom) {
        window.opened();
        opened = true;
      }
      long due = Math.min(total, Math.floorDiv(now - start, period) + 1);
      if (due > scheduled) {
        long from = scheduled;
        long to = due;
        context.runOnContext(v -> state.due(start, period, from, to));
        scheduled = due;
      }
      long sleep = start + scheduled * period - System.nanoTime();
      if (sleep > 0) {
        LockSupport.parkNanos(sleep);
      }
    }
    if (!opened) {
      window.opened();
    }
    window.closed();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && !call(context, () -> state.finished(total))) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    LoadResult result = call(context, () -> state.result(plan.rate(), total));
    join(context, state::close);
    return result;
  }

  /** Everything below runs on the event loop. */
  private final class State {
    final Context context;
    final ArrayDeque<McpConnection> idle = new ArrayDeque<>();
    final List<McpConnection> all = new ArrayList<>();
    final ArrayDeque<Long> backlog = new ArrayDeque<>();
    final Histogram latency = LoadResult.newHistogram();
    long measureFrom;
    long measureTo;
    long nextId = FIRST_ID;
    long completed;
    long measuredCalls;
    long errors;
    String firstError;

    State(Context context) {
      this.context = context;
    }

    Future<Void> open(int connections) {
      List<Future<McpConnection>> opening = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        opening.add(McpConnection.open(client, endpoint));
      }
      return Future.all(opening)
          .map(
              all -> {
                for (int i = 0; i < connections; i++) {
                  McpConnection c = all.resultAt(i);
                  this.all.add(c);
                  idle.add(c);
                }
                return null;
              });
    }

    void due(long start, long period, long from, long to) {
      for (long k = from; k < to; k++) {
        backlog.add(start + k * period);
      }
      pump();
    }

    void pump() {
      while (!backlog.isEmpty() && !idle.isEmpty()) {
        send(idle.poll(), backlog.poll());
      }
    }

    void send(McpConnection connection, long intended) {
      connection
          .call(Payloads.toolsCall(nextId++))
          .onComplete(
              ar -> {
                long done = System.nanoTime();
                completed++;
                if (intended >= measureFrom && intended < measureTo) {
                  measuredCalls++;
                  latency.recordValue(Math.max(1, (done - intended) / 1000));
                  if (ar.failed() || ar.result() != 200) {
                    errors++;
                    if (firstError == null) {
                      firstError = ar.failed() ? ar.cause().toString() : "HTTP " + ar.result();
                    }
                  }
                }
                if (connection.closed()) {
                  reopen();
                } else {
                  idle.add(connection);
                }
                pump();
              });
    }

    void reopen() {
      McpConnection.open(client, endpoint)
          .onSuccess(
              c -> {
                all.add(c);
                idle.add(c);
                pump();
              })
          .onFailure(err -> context.owner().setTimer(100, t -> reopen()));
    }

    boolean finished(long total) {
      return completed >= total;
    }

    LoadResult result(double rate, long total) {
      long now = System.nanoTime();
      long unanswered = total - completed;
      // Calls never answered count as errors, with the latency they had reached by now.
      for (Long intended : backlog) {
        if (intended >= measureFrom && intended < measureTo) {
          latency.recordValue(Math.max(1, (now - intended) / 1000));
        }
      }
      if (unanswered > 0 && firstError == null) {
        firstError = unanswered + " calls unanswered";
      }
      double seconds = (measureTo - measureFrom) / 1e9;
      return new LoadResult(
          rate, seconds, measuredCalls, errors + unanswered, latency.copy(), firstError);
    }

    Future<Void> close() {
      List<Future<Void>> closing = new ArrayList<>();
      for (McpConnection c : all) {
        closing.add(c.close());
      }
      return Future.join(closing).mapEmpty();
    }
  }

  static <T> T call(Context context, java.util.function.Supplier<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            result.complete(action.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    return result.join();
  }

  static void join(Context context, java.util.function.Supplier<Future<Void>> action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    done.future().toCompletionStage().toCompletableFuture().join();
  }
}
