package io.mcpsidecar.agent.telemetry;

import static io.mcpsidecar.agent.transport.TestCalls.answered;
import static io.mcpsidecar.agent.transport.TestCalls.call;
import static io.mcpsidecar.agent.transport.TestCalls.rejected;
import static io.mcpsidecar.agent.transport.TestCalls.response;
import static io.mcpsidecar.agent.transport.TestCalls.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.config.AgentConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * The meters a finished call is counted in. Meters are kept per label combination and reused, so
 * these check that every combination still has its own meter and that repeated calls add up in it,
 * as when each call looked its meters up in the registry.
 */
class ProxyMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProxyMetrics metrics = new ProxyMetrics(registry);
  private final AgentConfig config =
      TestAgents.config("http://127.0.0.1:1/mcp", "telemetry:\n  metrics:\n    maxTargets: 2\n");

  private long operations(String tool, String outcome, String errorType, String errorClass) {
    return registry
        .get("mcp.server.operation.duration")
        .tags(
            "mcp.method.name", "tools/call",
            "gen_ai.tool.name", tool,
            "outcome", outcome,
            "error.type", errorType,
            "error.class", errorClass)
        .timer()
        .count();
  }

  private double requests(String method, String status) {
    return registry
        .get("mcp.sidecar.http.requests")
        .tags("http.request.method", method, "http.response.status_code", status)
        .counter()
        .count();
  }

  private void echo(int status, Integer errorCode, boolean toolError) {
    metrics.onEnd(
        answered(
            call(config, HttpMethod.POST, toolCall("1", "echo")),
            status,
            response("1", errorCode, toolError)));
  }

  @Test
  void repeatedCallsAddUpInTheMeterOfTheirOwnLabels() {
    for (int i = 0; i < 3; i++) {
      echo(200, null, false);
    }
    echo(200, null, true);
    echo(200, null, true);
    echo(200, -32601, false);
    echo(200, -32602, false);
    echo(200, -32602, false);
    metrics.onEnd(answered(call(config, HttpMethod.POST, toolCall("1", "echo")), 404));
    metrics.onEnd(
        rejected(call(config, HttpMethod.POST, toolCall("1", "echo")), ErrorCode.RATE_LIMITED));
    metrics.onEnd(
        rejected(call(config, HttpMethod.POST, toolCall("1", "echo")), ErrorCode.RATE_LIMITED));
    metrics.onEnd(answered(call(config, HttpMethod.GET), 200));
    metrics.onEnd(answered(call(config, HttpMethod.DELETE), 200));
    metrics.onEnd(answered(call(config, HttpMethod.DELETE), 200));

    assertThat(operations("echo", "ok", "", "none")).isEqualTo(3);
    assertThat(operations("echo", "tool_error", "tool_error", "correctness")).isEqualTo(2);
    assertThat(operations("echo", "error", "-32601", "correctness")).isEqualTo(1);
    assertThat(operations("echo", "error", "-32602", "correctness")).isEqualTo(2);
    assertThat(operations("echo", "error", "404", "correctness")).isEqualTo(1);
    assertThat(operations("echo", "rejected", "-32012", "quota")).isEqualTo(2);
    assertThat(registry.get("mcp.server.operation.duration").timers()).hasSize(6);

    assertThat(requests("POST", "200")).isEqualTo(8);
    assertThat(requests("POST", "404")).isEqualTo(1);
    assertThat(requests("POST", "429")).isEqualTo(2);
    assertThat(requests("GET", "200")).isEqualTo(1);
    assertThat(requests("DELETE", "200")).isEqualTo(2);
    assertThat(registry.get("mcp.sidecar.http.requests").counters()).hasSize(5);

    assertThat(
            registry.get("mcp.sidecar.rejections").tag("reason", "rate_limited").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("mcp.sidecar.upstream.responses")
                .tag("status_class", "2xx")
                .counter()
                .count())
        .isEqualTo(11);
    assertThat(
            registry
                .get("mcp.sidecar.upstream.responses")
                .tag("status_class", "4xx")
                .counter()
                .count())
        .as("a rejection is not an upstream response")
        .isEqualTo(1);
  }

  @Test
  void targetsPastTheCapAreStillCountedAsOther() {
    for (String tool : new String[] {"a", "b", "c", "d", "a", "e", "b"}) {
      metrics.onEnd(
          answered(
              call(config, HttpMethod.POST, toolCall("1", tool)), 200, response("1", null, false)));
    }

    assertThat(operations("a", "ok", "", "none")).isEqualTo(2);
    assertThat(operations("b", "ok", "", "none")).isEqualTo(2);
    assertThat(operations(LabelGuard.OTHER, "ok", "", "none")).isEqualTo(3);
    assertThat(registry.get("mcp.server.operation.duration").timers()).hasSize(3);
  }

  @Test
  void countsMethodsTheEndpointDoesNotServeAsOther() {
    metrics.onEnd(answered(call(config, HttpMethod.valueOf("ZZQ001")), 405));
    metrics.onEnd(answered(call(config, HttpMethod.valueOf("ZZQ002")), 405));

    assertThat(requests("_OTHER", "405")).isEqualTo(2);
  }

  @Test
  void labelCombinationsPastTheCacheBoundAreStillCountedInTheirOwnMeters() {
    AgentConfig wide =
        TestAgents.config(
            "http://127.0.0.1:1/mcp", "telemetry:\n  metrics:\n    maxTargets: 100000\n");
    int tools = ProxyMetrics.MAX_CACHED_METERS + 100;
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < tools; i++) {
        metrics.onEnd(
            answered(
                call(wide, HttpMethod.POST, toolCall("1", "t" + i)),
                200,
                response("1", null, false)));
      }
    }

    assertThat(registry.get("mcp.server.operation.duration").timers()).hasSize(tools);
    assertThat(operations("t0", "ok", "", "none")).isEqualTo(2);
    assertThat(operations("t" + (tools - 1), "ok", "", "none")).as("never cached").isEqualTo(2);
    assertThat(metrics.cachedMeters()).isLessThanOrEqualTo(ProxyMetrics.MAX_CACHED_METERS + 2);
  }

  @Test
  void countsHttpMethodsOutsideTheKnownSetAsOther() {
    metrics.onEnd(answered(call(config, HttpMethod.valueOf("ZZQ001")), 501));
    metrics.onEnd(answered(call(config, HttpMethod.valueOf("ZZQ002")), 501));
    metrics.onEnd(answered(call(config, HttpMethod.PATCH), 405));

    assertThat(requests("_OTHER", "501")).isEqualTo(2);
    assertThat(requests("PATCH", "405")).isEqualTo(1);
    assertThat(registry.get("mcp.sidecar.http.requests").counters()).hasSize(2);
  }

  @Test
  void cutsLongNamesAndCountsUnsafeOnesAsOther() {
    String longName = "x".repeat(8192);
    for (String tool : new String[] {longName, "bad\"name", "tab\tname", "caf\u00e9"}) {
      metrics.onEnd(
          answered(
              call(config, HttpMethod.POST, toolCall("1", tool)), 200, response("1", null, false)));
    }

    assertThat(operations("x".repeat(LabelGuard.MAX_CHARS), "ok", "", "none")).isEqualTo(1);
    assertThat(operations(LabelGuard.OTHER, "ok", "", "none")).isEqualTo(3);
  }

  @Test
  void admitsANameOnlyOnceTheServerHasAnsweredItsCall() {
    metrics.onEnd(
        answered(
            call(config, HttpMethod.POST, toolCall("1", "nope1")),
            200,
            response("1", -32602, false)));
    metrics.onEnd(
        rejected(call(config, HttpMethod.POST, toolCall("1", "nope2")), ErrorCode.RATE_LIMITED));
    echo(200, null, false);
    metrics.onEnd(
        answered(
            call(config, HttpMethod.POST, toolCall("1", "real")), 200, response("1", null, true)));

    assertThat(operations(LabelGuard.OTHER, "error", "-32602", "correctness")).isEqualTo(1);
    assertThat(operations(LabelGuard.OTHER, "rejected", "-32012", "quota")).isEqualTo(1);
    assertThat(operations("echo", "ok", "", "none")).isEqualTo(1);
    assertThat(operations("real", "tool_error", "tool_error", "correctness")).isEqualTo(1);
  }

  @Test
  void alwaysLabelsToolsTheConfigNamesEvenPastTheCap() {
    AgentConfig pinned =
        TestAgents.config(
            "http://127.0.0.1:1/mcp",
            "telemetry:\n  metrics:\n    maxTargets: 1\n"
                + "limits:\n  tools:\n    - match: search\n      limit: 5\n"
                + "    - match: fetch_*\n      limit: 5\n");
    for (String tool : new String[] {"a", "b", "search", "fetch_x"}) {
      metrics.onEnd(
          answered(
              call(pinned, HttpMethod.POST, toolCall("1", tool)), 200, response("1", null, false)));
    }

    assertThat(operations("a", "ok", "", "none")).isEqualTo(1);
    assertThat(operations("search", "ok", "", "none")).isEqualTo(1);
    assertThat(operations(LabelGuard.OTHER, "ok", "", "none")).as("b, and a glob").isEqualTo(2);
  }

  @Test
  void keepsServerErrorCodesOutsideTheReservedRangeOutOfTheLabels() {
    assertThat(ProxyMetrics.errorTypeLabel("-32601")).isEqualTo("-32601");
    assertThat(ProxyMetrics.errorTypeLabel("404")).isEqualTo("404");
    assertThat(ProxyMetrics.errorTypeLabel("123456")).isEqualTo("_OTHER");
    assertThat(ProxyMetrics.errorTypeLabel("tool_error")).isEqualTo("tool_error");
    assertThat(ProxyMetrics.errorTypeLabel(null)).isEmpty();
  }
}
