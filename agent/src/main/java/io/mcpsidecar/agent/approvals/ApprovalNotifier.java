package io.mcpsidecar.agent.approvals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each new pending approval as JSON to {@code policy.approvals.notify.url}, so a chat or
 * ticket system can ask someone. Never blocks or delays the call: it is fire and forget on the
 * Vert.x client, each attempt bounded by the timeout, retried on a failure or a non-2xx answer up
 * to {@code retries} times with doubling backoff; at most {@value #MAX_IN_FLIGHT} notifications are
 * in flight, and one more is dropped. A notification that fails for good, or is dropped, is
 * counted.
 */
public final class ApprovalNotifier {

  /** Notifications being sent or waiting for a retry at most; one more is dropped and counted. */
  static final int MAX_IN_FLIGHT = 256;

  /** The first retry's delay; each further one doubles it. */
  static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

  private static final Logger LOG = LoggerFactory.getLogger(ApprovalNotifier.class);

  /** Where and how to notify; {@code url} null: off. */
  public record Target(@Nullable URI url, Duration timeout, int retries) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final Supplier<Target> target;
  private final Clock clock;
  private final AtomicInteger inFlight = new AtomicInteger();
  private @Nullable ApprovalMetrics metrics;
  private volatile boolean closed;

  public ApprovalNotifier(Vertx vertx, HttpClient client, Supplier<Target> target, Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.target = target;
    this.clock = clock;
  }

  void metrics(ApprovalMetrics metrics) {
    this.metrics = metrics;
  }

  /** Queues the approval's notification; returns at once. */
  void announce(Approval approval) {
    Target t = target.get();
    if (t.url() == null || closed) {
      return;
    }
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      failed(approval, "queue full");
      return;
    }
    String body =
        new JsonObject()
            .put("event", "approval_requested")
            .put("approval", approval.view(clock.instant()))
            .encode();
    attempt(approval, t, body, 0);
  }

  private void attempt(Approval approval, Target t, String body, int attempt) {
    URI url = t.url();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(url.toString())
            .setTimeout(t.timeout().toMillis())
            .putHeader("Content-Type", "application/json");
    client
        .request(options)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(
            done -> {
              boolean ok = done.succeeded() && done.result() / 100 == 2;
              if (ok) {
                inFlight.decrementAndGet();
                return;
              }
              String why = done.succeeded() ? "status " + done.result() : done.cause().toString();
              if (attempt < t.retries() && !closed) {
                long delay = FIRST_BACKOFF.toMillis() << Math.min(attempt, 10);
                vertx.setTimer(delay, id -> attempt(approval, t, body, attempt + 1));
              } else {
                inFlight.decrementAndGet();
                failed(approval, why);
              }
            });
  }

  private void failed(Approval approval, String why) {
    if (metrics != null) {
      metrics.notifyFailed();
    }
    LOG.atWarn()
        .addKeyValue("approvalId", approval.id())
        .log("approval notification failed: {}", why);
  }

  void close() {
    closed = true;
  }
}
