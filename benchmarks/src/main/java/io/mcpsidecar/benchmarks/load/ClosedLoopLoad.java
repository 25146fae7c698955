package io.mcpsidecar.benchmarks.load;

import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Saturation: N clients each send their next call as soon as the previous one is answered, so the
 * slowest process on the path sets the pace. The throughput of the measured window is the result;
 * latencies here are service times, not what clients at a given rate would see.
 */
public final class ClosedLoopLoad {

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final Endpoint endpoint;

  public ClosedLoopLoad(Vertx vertx, HttpClientAgent client, Endpoint endpoint) {
    this.vertx = vertx;
    this.client = client;
    this.endpoint = endpoint;
  }

  public LoadResult run(int connections, Duration warmup, Duration measure, MeasureWindow window) {
    Context context = vertx.getOrCreateContext();
    State state = new State();
    OpenLoopLoad.join(context, () -> state.open(connections));
    long start = System.nanoTime();
    state.measureFrom = start + warmup.toNanos();
    state.measureTo = state.measureFrom + measure.toNanos();
    context.runOnContext(v -> state.all.forEach(state::loop));
    sleepUntil(state.measureFrom);
    window.opened();
    sleepUntil(state.measureTo);
    window.closed();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && OpenLoopLoad.call(context, () -> state.inFlight > 0)) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    LoadResult result =
        OpenLoopLoad.call(
            context,
            () ->
                new LoadResult(
                    0,
                    measure.toNanos() / 1e9,
                    state.completed,
                    state.errors,
                    state.latency.copy(),
                    state.firstError));
    OpenLoopLoad.join(context, state::close);
    return result;
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  /** Runs on the event loop. */
  private final class State {
    final List<McpConnection> all = new ArrayList<>();
    final Histogram latency = LoadResult.newHistogram();
    long measureFrom;
    long measureTo;
    long nextId = 1_000_000;
    long completed;
    long errors;
    int inFlight;
    String firstError;

    Future<Void> open(int connections) {
      List<Future<McpConnection>> opening = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        opening.add(McpConnection.open(client, endpoint));
      }
      return Future.all(opening)
          .map(
              done -> {
                for (int i = 0; i < connections; i++) {
                  all.add(done.resultAt(i));
                }
                return null;
              });
    }

    void loop(McpConnection connection) {
      long sent = System.nanoTime();
      if (sent >= measureTo) {
        return;
      }
      inFlight++;
      connection
          .call(Payloads.toolsCall(nextId++))
          .onComplete(
              ar -> {
                inFlight--;
                long done = System.nanoTime();
                if (done >= measureFrom && done < measureTo) {
                  completed++;
                  latency.recordValue(Math.max(1, (done - sent) / 1000));
                  if (ar.failed() || ar.result() != 200) {
                    errors++;
                    if (firstError == null) {
                      firstError = ar.failed() ? ar.cause().toString() : "HTTP " + ar.result();
                    }
                  }
                }
                if (connection.closed()) {
                  McpConnection.open(client, endpoint)
                      .onSuccess(
                          c -> {
                            all.add(c);
                            loop(c);
                          });
                } else {
                  loop(connection);
                }
              });
    }

    Future<Void> close() {
      List<Future<Void>> closing = new ArrayList<>();
      all.forEach(c -> closing.add(c.close()));
      return Future.join(closing).mapEmpty();
    }
  }
}
