package io.mcpsidecar.agent.approvals;

import io.mcpsidecar.agent.policy.ApprovalRequest;
import io.mcpsidecar.agent.transport.HeldStream;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Stage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A call held open while its approval is pending: the answer is an event stream at once, carrying
 * {@code notifications/progress} (with the client's progress token and a message naming the
 * approval) every {@link Timing#progress}; the store is polled for the decision (so an approval
 * granted through another replica is seen too). Approved: the approval is used, the call goes on
 * and the server's answer is relayed into the same stream. Denied, expired or {@code holdTimeout}
 * passed: the JSON-RPC error goes into the stream (also when the agent starts to shut down, so the
 * client retries elsewhere). A client that leaves ends the wait.
 */
final class HeldCall {

  /** How often the client hears progress and the store is asked for the decision. */
  record Timing(Duration progress, Duration poll) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(5), Duration.ofMillis(500));
  }

  private final Vertx vertx;
  private final Approvals approvals;
  private final Timing timing;
  private final McpCall call;
  private final Stage.Next next;
  private final ApprovalRequest request;
  private final Object token;
  private final Consumer<ApprovalRequest> onApprovedUse;
  private final BooleanSupplier draining;
  private final Promise<Outcome> outcome = Promise.promise();
  private HeldStream stream;
  private Approval held;
  private long progressTimer = -1;
  private long pollTimer = -1;
  private long deadlineTimer = -1;
  private int progress;
  private boolean polling;

  HeldCall(
      Vertx vertx,
      Approvals approvals,
      Timing timing,
      McpCall call,
      Stage.Next next,
      ApprovalRequest request,
      Object token,
      Consumer<ApprovalRequest> onApprovedUse,
      BooleanSupplier draining) {
    this.vertx = vertx;
    this.approvals = approvals;
    this.timing = timing;
    this.call = call;
    this.next = next;
    this.request = request;
    this.token = token;
    this.onApprovedUse = onApprovedUse;
    this.draining = draining;
  }

  Future<Outcome> hold(Approval approval) {
    held = approval;
    stream = call.hold();
    stream.onClientGone(this::clientGone);
    Instant now = approvals.now();
    Duration hold = approvals.settings().holdTimeout();
    Duration untilExpiry = Duration.between(now, approval.expiresAt());
    long waitMs = Math.max(1, Math.min(hold.toMillis(), untilExpiry.toMillis()));
    progress(approval);
    progressTimer = vertx.setPeriodic(timing.progress().toMillis(), t -> progress(approval));
    pollTimer = vertx.setPeriodic(timing.poll().toMillis(), t -> poll(approval));
    deadlineTimer =
        vertx.setTimer(
            waitMs,
            t ->
                finish(
                    Outcome.refused(
                        ApprovalAnswers.stillRequired(
                            approval,
                            approvals.now(),
                            waitMs < hold.toMillis() ? "expired" : "hold_timeout"))));
    return outcome.future();
  }

  private void progress(Approval approval) {
    if (outcome.future().isComplete()) {
      return;
    }
    progress++;
    JsonObject note =
        new JsonObject()
            .put("jsonrpc", "2.0")
            .put("method", "notifications/progress")
            .put(
                "params",
                new JsonObject()
                    .put("progressToken", token)
                    .put("progress", progress)
                    .put(
                        "message",
                        "waiting for approval "
                            + approval.id()
                            + " (rule "
                            + approval.rule()
                            + ", expires "
                            + approval.expiresAt()
                            + ")"));
    stream.send(note.encode());
  }

  private void poll(Approval approval) {
    if (polling || outcome.future().isComplete()) {
      return;
    }
    if (draining.getAsBoolean()) {
      // The agent is stopping: answer now, before the drain timeout cuts the stream without one.
      finish(
          Outcome.refused(
              ApprovalAnswers.stillRequired(approval, approvals.now(), "shutting_down")));
      return;
    }
    polling = true;
    approvals
        .get(approval.id())
        .onComplete(
            found -> {
              polling = false;
              if (found.failed() || outcome.future().isComplete()) {
                return; // the store did not answer: ask again at the next tick
              }
              Approval a = found.result();
              Instant now = approvals.now();
              if (a == null || a.stateAt(now) == ApprovalState.EXPIRED) {
                finish(Outcome.refused(ApprovalAnswers.stillRequired(approval, now, "expired")));
              } else if (a.state() == ApprovalState.DENIED) {
                finish(Outcome.refused(ApprovalAnswers.denied(a)));
              } else if (a.state() == ApprovalState.APPROVED) {
                approved(a);
              } else if (a.state() == ApprovalState.USED) {
                // Another call with the same binding used it first.
                finish(Outcome.refused(ApprovalAnswers.stillRequired(a, now, "used")));
              }
            });
  }

  private void approved(Approval a) {
    stopTimers();
    approvals
        .use(a, request, call.requestId(), call.get(McpCall.TRACE_ID))
        .onComplete(
            used -> {
              if (outcome.future().isComplete()) {
                return;
              }
              if (used.succeeded() && used.result() instanceof Approvals.Check.Pass) {
                onApprovedUse.accept(request);
                next.proceed().onComplete(outcome);
              } else if (used.succeeded() && used.result() instanceof Approvals.Check.Wait w) {
                outcome.tryComplete(
                    Outcome.refused(ApprovalAnswers.required(w.approval(), null, "used")));
              } else {
                outcome.tryFail(
                    used.failed() ? used.cause() : new IllegalStateException("" + used.result()));
              }
            });
  }

  private void clientGone() {
    // Nothing will be written; the exchange ends once the outcome is complete.
    finish(Outcome.refused(ApprovalAnswers.stillRequired(held, approvals.now(), "client_gone")));
  }

  private void finish(Outcome refused) {
    stopTimers();
    outcome.tryComplete(refused);
  }

  private void stopTimers() {
    vertx.cancelTimer(progressTimer);
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(deadlineTimer);
  }

  /** The request's {@code params._meta.progressToken} (string or number), or null. */
  static @Nullable Object progressToken(McpCall call) {
    if (call.body() == null) {
      return null;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(call.body());
    } catch (DecodeException e) {
      return null;
    }
    JsonObject message =
        parsed instanceof JsonObject o
            ? o
            : parsed instanceof JsonArray a && a.size() == 1 ? a.getJsonObject(0) : null;
    JsonObject params = message == null ? null : message.getJsonObject("params");
    JsonObject meta = params == null ? null : params.getJsonObject("_meta");
    Object token = meta == null ? null : meta.getValue("progressToken");
    return token instanceof String || token instanceof Number ? token : null;
  }

  /** Whether the client's {@code Accept} names {@code text/event-stream}. */
  static boolean acceptsEventStream(McpCall call) {
    for (String accept : call.headers().getAll("Accept")) {
      if (accept.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream")) {
        return true;
      }
    }
    return false;
  }
}
