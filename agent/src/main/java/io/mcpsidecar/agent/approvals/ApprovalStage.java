package io.mcpsidecar.agent.approvals;

import io.mcpsidecar.agent.policy.ApprovalRequest;
import io.mcpsidecar.agent.transport.AnswerRewrite;
import io.mcpsidecar.agent.transport.BatchSplit;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Rejection;
import io.mcpsidecar.agent.transport.Stage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@code approvals} stage, right after {@code policy}: a call whose requests an {@code approve}
 * rule matched ({@link ApprovalRequest#KEY}) reaches the server only with an approved, unused
 * approval of the same binding, which it then uses. Otherwise the call is deferred (-32015 with the
 * approval's id; the client retries it after approval) or, when the client accepts an event stream
 * and sent a progress token, held open with progress notifications until a human decides.
 */
public final class ApprovalStage implements Stage {

  public static final String NAME = "approvals";

  private final Approvals approvals;
  private final Vertx vertx;
  private final HeldCall.Timing timing;
  private final Consumer<ApprovalRequest> onApprovedUse;
  private final BooleanSupplier draining;

  /**
   * @param onApprovedUse told of each request that goes on with a used approval (the policy's
   *     {@code approved_use} decision count)
   * @param draining whether the agent is shutting down: held calls are then answered -32015 at once
   *     (their approvals stay pending), so their clients retry elsewhere
   */
  public ApprovalStage(
      Vertx vertx,
      Approvals approvals,
      Consumer<ApprovalRequest> onApprovedUse,
      BooleanSupplier draining) {
    this(vertx, approvals, HeldCall.Timing.DEFAULT, onApprovedUse, draining);
  }

  ApprovalStage(
      Vertx vertx,
      Approvals approvals,
      HeldCall.Timing timing,
      Consumer<ApprovalRequest> onApprovedUse,
      BooleanSupplier draining) {
    this.vertx = vertx;
    this.approvals = approvals;
    this.timing = timing;
    this.onApprovedUse = onApprovedUse;
    this.draining = draining;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> requires() {
    return Set.of("policy");
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    ApprovalRequest.Needed needed = call.get(ApprovalRequest.KEY);
    if (needed == null || needed.requests().isEmpty()) {
      return next.proceed();
    }
    if (needed.requests().size() == 1 && !call.batch()) {
      return single(call, next, needed.requests().get(0));
    }
    return batch(call, next, needed.requests());
  }

  private Future<Outcome> single(McpCall call, Next next, ApprovalRequest request) {
    return approvals
        .check(request, call.requestId(), call.get(McpCall.TRACE_ID))
        .compose(
            check -> {
              if (check instanceof Approvals.Check.Pass) {
                onApprovedUse.accept(request);
                return next.proceed();
              }
              if (check instanceof Approvals.Check.Wait wait) {
                Object token = HeldCall.progressToken(call);
                if (token != null && HeldCall.acceptsEventStream(call)) {
                  return new HeldCall(
                          vertx,
                          approvals,
                          timing,
                          call,
                          next,
                          request,
                          token,
                          onApprovedUse,
                          draining)
                      .hold(wait.approval());
                }
              }
              return Future.succeededFuture(Outcome.refused(refusal(check)));
            });
  }

  /**
   * A 2025-03-26 batch with requests that need approval: each is decided on its own. Those with an
   * approved approval use it and go on with the rest of the batch; the others are taken out of the
   * batch and answered by the agent ({@link BatchSplit}), their answers added to the server's. When
   * nothing is left for the server, the agent answers the batch alone, with every answer the stages
   * before it gave too.
   */
  private Future<Outcome> batch(McpCall call, Next next, List<ApprovalRequest> requests) {
    String traceId = call.get(McpCall.TRACE_ID);
    List<Future<Approvals.Check>> checks = new ArrayList<>();
    for (ApprovalRequest r : requests) {
      checks.add(approvals.check(r, call.requestId(), traceId));
    }
    return Future.all(checks)
        .compose(
            all -> {
              Map<String, String> answers = new LinkedHashMap<>();
              for (int i = 0; i < requests.size(); i++) {
                ApprovalRequest r = requests.get(i);
                Approvals.Check check = checks.get(i).result();
                if (check instanceof Approvals.Check.Pass) {
                  onApprovedUse.accept(r);
                } else {
                  answers.put(r.requestId(), BatchSplit.error(call, r.requestId(), refusal(check)));
                }
              }
              if (answers.isEmpty()) {
                return next.proceed();
              }
              BatchSplit split = BatchSplit.of(call, answers);
              if (split.nothingLeft()) {
                List<String> every = new ArrayList<>();
                for (AnswerRewrite earlier : call.answerRewrites()) {
                  every.addAll(earlier.extraMessages()); // what policy refused in this batch
                }
                every.addAll(split.answers());
                return Future.succeededFuture(
                    Outcome.answer(
                        200,
                        Map.of("Content-Type", "application/json"),
                        "[" + String.join(",", every) + "]"));
              }
              split.apply(call);
              return next.proceed();
            });
  }

  private static Rejection refusal(Approvals.Check check) {
    if (check instanceof Approvals.Check.Denied d) {
      return ApprovalAnswers.denied(d.approval());
    }
    if (check instanceof Approvals.Check.Full f) {
      return ApprovalAnswers.full(f.maxPending());
    }
    if (check instanceof Approvals.Check.Wait w) {
      return ApprovalAnswers.required(w.approval(), w.expired(), null);
    }
    throw new IllegalStateException("not a refusal: " + check);
  }
}
