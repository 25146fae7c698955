package io.mcpsidecar.agent.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final Bulkhead bulkhead = new Bulkhead();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Bulkhead.Waiter acquire(int max, int queue, long timeoutMs) throws Exception {
    CompletableFuture<Bulkhead.Waiter> out = new CompletableFuture<>();
    context.runOnContext(v -> out.complete(bulkhead.acquire(context, max, queue, timeoutMs)));
    return out.get(10, TimeUnit.SECONDS);
  }

  @Test
  void placesGoToWaitersFirstInFirstOutAndTheQueueIsBounded() throws Exception {
    Bulkhead.Waiter a = acquire(1, 2, 60_000);
    Bulkhead.Waiter b = acquire(1, 2, 60_000);
    Bulkhead.Waiter c = acquire(1, 2, 60_000);
    Bulkhead.Waiter d = acquire(1, 2, 60_000);
    List<String> order = new CopyOnWriteArrayList<>();
    b.future().onSuccess(v -> order.add("b"));
    c.future().onSuccess(v -> order.add("c"));

    assertThat(a.future().succeeded()).isTrue();
    assertThat(b.future().isComplete()).isFalse();
    assertThat(d.future().failed()).isTrue();
    assertThat(((Bulkhead.ShedException) d.future().cause()).reason)
        .isEqualTo(Bulkhead.Shed.QUEUE_FULL);
    assertThat(bulkhead.queued()).isEqualTo(2);

    bulkhead.release(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> order.equals(List.of("b")));
    bulkhead.release(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> order.equals(List.of("b", "c")));
    assertThat(bulkhead.inFlight()).isEqualTo(1);
    bulkhead.release(1);
    assertThat(bulkhead.inFlight()).isZero();
  }

  @Test
  void aWaiterLeavesAfterItsTimeoutOrWhenItsClientGoes() throws Exception {
    acquire(1, 5, 60_000);
    Bulkhead.Waiter timed = acquire(1, 5, 50);
    Bulkhead.Waiter gone = acquire(1, 5, 60_000);

    await().atMost(Duration.ofSeconds(5)).until(() -> timed.future().failed());
    assertThat(((Bulkhead.ShedException) timed.future().cause()).reason)
        .isEqualTo(Bulkhead.Shed.QUEUE_TIMEOUT);
    CompletableFuture<Boolean> left = new CompletableFuture<>();
    context.runOnContext(v -> left.complete(gone.leave(new IllegalStateException("gone"))));
    assertThat(left.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(bulkhead.queued()).isZero();

    bulkhead.release(1);
    assertThat(bulkhead.inFlight()).as("nobody waits: the place is free").isZero();
  }

  @Test
  void aLoweredBoundDrainsTheExcessBeforeHandingOutPlaces() throws Exception {
    acquire(3, 5, 60_000);
    acquire(3, 5, 60_000);
    acquire(3, 5, 60_000);
    Bulkhead.Waiter waiting = acquire(3, 5, 60_000);

    bulkhead.release(1); // the bound is now 1: 3 → 2 in flight, nobody goes in
    bulkhead.release(1); // 2 → 1
    assertThat(waiting.future().isComplete()).isFalse();
    bulkhead.release(1); // 1 in flight, at the bound: the place passes to the waiter

    await().atMost(Duration.ofSeconds(5)).until(() -> waiting.future().succeeded());
    assertThat(bulkhead.inFlight()).isEqualTo(1);
    Future<Void> unused = waiting.future();
    assertThat(unused.succeeded()).isTrue();
  }
}
