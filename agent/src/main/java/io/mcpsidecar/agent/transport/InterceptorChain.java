package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the stages in order; the first rejection wins and the remaining stages never run. */
public final class InterceptorChain {

  private static final Logger LOG = LoggerFactory.getLogger(InterceptorChain.class);
  private final List<McpInterceptor> stages;

  public InterceptorChain(List<McpInterceptor> stages) {
    this.stages = List.copyOf(stages);
  }

  public List<McpInterceptor> stages() {
    return stages;
  }

  Future<Verdict> run(McpCall call) {
    return step(call, 0);
  }

  private Future<Verdict> step(McpCall call, int index) {
    if (index == stages.size()) {
      return Future.succeededFuture(Verdict.PROCEED);
    }
    McpInterceptor stage = stages.get(index);
    Future<Verdict> decided;
    try {
      decided = stage.intercept(call);
    } catch (RuntimeException e) {
      decided = Future.failedFuture(e);
    }
    return decided
        .recover(err -> Future.succeededFuture(failClosed(call, stage, err)))
        .compose(
            v -> v instanceof Verdict.Proceed ? step(call, index + 1) : Future.succeededFuture(v));
  }

  private static Verdict failClosed(McpCall call, McpInterceptor stage, Throwable err) {
    LOG.atError()
        .addKeyValue("requestId", call.requestId())
        .addKeyValue("stage", stage.name())
        .setCause(err)
        .log("interceptor failed; call rejected");
    return Verdict.reject(
        Rejection.of(
            ErrorCode.INTERNAL,
            "the " + stage.name() + " stage failed",
            Map.of("stage", stage.name())));
  }

  void end(McpCall call) {
    for (McpInterceptor stage : stages) {
      try {
        stage.onEnd(call);
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("requestId", call.requestId())
            .addKeyValue("stage", stage.name())
            .setCause(e)
            .log("interceptor end hook failed");
      }
    }
  }
}
