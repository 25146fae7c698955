package io.mcpsidecar.agent.transport;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * A {@link Stage} that only decides before the call (identity, limits): it reads the call and
 * either passes it on or answers it, and does not see the outcome. Stages run on the event loop:
 * they must not block; asynchronous work (Redis, JWKS) returns a future.
 */
public interface McpInterceptor extends Stage {

  /** Decides on the call. A failed future is treated as a rejection (fail closed). */
  Future<Verdict> intercept(McpCall call);

  @Override
  default Future<Outcome> handle(McpCall call, Next next) {
    Future<Verdict> decided = intercept(call);
    if (decided.succeeded()) {
      return outcome(decided.result(), next); // decided at once: no future to map
    }
    if (decided.failed()) {
      return Future.failedFuture(decided.cause());
    }
    return decided.compose(verdict -> outcome(verdict, next));
  }

  private static Future<Outcome> outcome(Verdict verdict, Next next) {
    if (verdict instanceof Verdict.Proceed) {
      return next.proceed();
    }
    if (verdict instanceof Verdict.Reject reject) {
      return Future.succeededFuture(Outcome.refused(reject.rejection()));
    }
    Verdict.Respond answer = (Verdict.Respond) verdict;
    return Future.succeededFuture(
        new Outcome.Answered(answer.status(), answer.headers(), Buffer.buffer(answer.body())));
  }
}
