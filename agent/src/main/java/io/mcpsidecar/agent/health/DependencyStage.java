package io.mcpsidecar.agent.health;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.McpInterceptor;
import io.mcpsidecar.agent.transport.Rejection;
import io.mcpsidecar.agent.transport.Verdict;
import io.mcpsidecar.config.DependencyConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fails fast while a dependency is down: a {@code tools/call} of one of its tools never reaches the
 * server and is answered at once, per the dependency's {@code whenDown}, with a tool result that
 * has {@code isError: true} (the model reads why and can choose another way) or with JSON-RPC error
 * -32016 {@code degraded} ({@code data.reason: dependency_down}, {@code data.dependency}, {@code
 * data.retryAfterMs} and {@code Retry-After}). Reads only the checks' cached states: no call waits
 * on a check.
 */
public final class DependencyStage implements McpInterceptor {

  public static final String NAME = "dependencies";

  private final HealthChecks checks;

  public DependencyStage(HealthChecks checks) {
    this.checks = checks;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** After identity, so that refusals are audited and counted with the caller's tenant. */
  @Override
  public Set<String> requires() {
    return Set.of("identity");
  }

  @Override
  public Future<Verdict> intercept(McpCall call) {
    if (call.httpMethod() != HttpMethod.POST) {
      return Future.succeededFuture(Verdict.PROCEED);
    }
    List<JsonRpcMessage> messages = call.messages();
    List<DependencyCheck> down = new ArrayList<>(messages.size());
    boolean any = false;
    for (JsonRpcMessage m : messages) {
      DependencyCheck check = null;
      if (m.isRequest() && "tools/call".equals(m.method()) && m.target() != null) {
        check = checks.downFor(m.target());
      }
      down.add(check);
      any |= check != null;
    }
    if (!any) {
      return Future.succeededFuture(Verdict.PROCEED);
    }
    if (!call.batch()) {
      DependencyCheck check = down.get(0);
      checks.failedFast(check);
      JsonRpcMessage m = messages.get(0);
      if (check.spec().whenDown() == DependencyConfig.WhenDown.ERROR) {
        return Future.succeededFuture(Verdict.reject(rejection(check, m.target())));
      }
      return Future.succeededFuture(
          Verdict.respond(
              200,
              Map.of("Content-Type", "application/json"),
              FailFastAnswers.toolError(m.id(), check, m.target())));
    }
    return Future.succeededFuture(batch(call, messages, down));
  }

  /**
   * A batch in which some calls need a dependency that is down: the agent answers the whole batch,
   * each call on its own (the fail-fast answer for those calls, and for the other requests an error
   * that says to send them again without the failing calls), since a batch's answers cannot be
   * split between the agent and the server.
   */
  private Verdict batch(McpCall call, List<JsonRpcMessage> messages, List<DependencyCheck> down) {
    List<String> answers = new ArrayList<>();
    long retryAfterMs = 0;
    DependencyCheck first = null;
    for (int i = 0; i < messages.size(); i++) {
      JsonRpcMessage m = messages.get(i);
      if (!m.isRequest()) {
        continue; // notifications get no answer
      }
      DependencyCheck check = down.get(i);
      if (check == null) {
        answers.add(FailFastAnswers.notSent(call.requestId(), m.id()));
        continue;
      }
      checks.failedFast(check);
      first = first == null ? check : first;
      retryAfterMs = Math.max(retryAfterMs, FailFastAnswers.retryAfterMs(check));
      answers.add(
          check.spec().whenDown() == DependencyConfig.WhenDown.ERROR
              ? FailFastAnswers.error(call.requestId(), m.id(), check, m.target())
              : FailFastAnswers.toolError(m.id(), check, m.target()));
    }
    return Verdict.respond(
        200,
        Map.of(
            "Content-Type",
            "application/json",
            "Retry-After",
            Long.toString(FailFastAnswers.seconds(retryAfterMs))),
        "[" + String.join(",", answers) + "]");
  }

  private static Rejection rejection(DependencyCheck check, String tool) {
    long retryAfterMs = FailFastAnswers.retryAfterMs(check);
    return new Rejection(
        ErrorCode.DEGRADED,
        FailFastAnswers.sentence(check, tool),
        FailFastAnswers.data(check, retryAfterMs),
        Map.of("Retry-After", Long.toString(FailFastAnswers.seconds(retryAfterMs))));
  }
}
