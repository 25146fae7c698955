package io.mcpsidecar.agent.resilience;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.agent.transport.UpstreamDeadline;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the resilience stages add to a call that passes them (docs/benchmarks.md): the circuit
 * breaker's permission and its record at the end, the retry stage's budget count for a list call,
 * the bulkhead's place taken and given back, and the deadline lookup by tool. The call is a {@code
 * tools/call} (a {@code tools/list} for the retry row) built fresh each operation ({@code newCall},
 * to subtract); the next stage answers at once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResilienceBenchmark {

  private static final Outcome ANSWER = Outcome.answer(200, Map.of(), "{}");
  private static final Stage.Next NEXT = () -> Future.succeededFuture(ANSWER);

  private AgentConfig config;
  private CircuitBreakerStage breaker;
  private RetryStage retry;
  private Bulkhead bulkhead;
  private List<JsonRpcMessage> toolCall;
  private List<JsonRpcMessage> toolsList;

  @Setup
  public void setUp() {
    config =
        ((ConfigResult.Valid)
                ConfigLoader.parse(
                    """
                    upstream:
                      url: http://127.0.0.1:8080/mcp
                      timeouts:
                        methods: [{match: "tools/list", timeout: 5s}]
                        tools: [{match: "report_*", timeout: 2m}, {match: "search_*", timeout: 10s}]
                      circuitBreaker: {enabled: true, window: 100, minimumCalls: 10}
                      bulkhead: {maxInFlight: 256, queue: 64, queueTimeout: 1s}
                      retries: {enabled: true}
                    """))
            .config();
    ResilienceMetrics metrics = new ResilienceMetrics(new SimpleMeterRegistry());
    breaker =
        new CircuitBreakerStage(config.upstream().circuitBreaker(), Clock.systemUTC(), metrics);
    retry = new RetryStage(System::currentTimeMillis, metrics);
    bulkhead = new Bulkhead();
    toolCall =
        List.of(
            new JsonRpcMessage(
                MessageKind.REQUEST,
                "1",
                "tools/call",
                "search_docs",
                null,
                null,
                null,
                null,
                false));
    toolsList =
        List.of(
            new JsonRpcMessage(
                MessageKind.REQUEST, "1", "tools/list", null, null, null, null, null, false));
  }

  private McpCall call(List<JsonRpcMessage> messages) {
    return McpCall.builder("4bf92f3577b34da6a3ce929d0e0e4736", config)
        .method(HttpMethod.POST)
        .messages(messages, false)
        .build();
  }

  /** Building the call each operation starts from: subtract it from the rows below. */
  @Benchmark
  public McpCall newCall() {
    return call(toolCall);
  }

  /** The breaker closed: a permission, and a success recorded when the call ends. */
  @Benchmark
  public Outcome breakerClosed() {
    McpCall call = call(toolCall);
    Outcome out = breaker.handle(call, NEXT).result();
    breaker.onEnd(call);
    return out;
  }

  /** The retry stage on a tools/list that succeeds: one call counted in the budget. */
  @Benchmark
  public Outcome retryPassing() {
    return retry.handle(call(toolsList), NEXT).result();
  }

  /** A bulkhead place taken and given back, no one waiting (no call built). */
  @Benchmark
  public int bulkheadPlace() {
    Bulkhead.Waiter waiter = bulkhead.acquire(null, 256, 64, 1000);
    bulkhead.release(256);
    return waiter.future().succeeded() ? 1 : 0;
  }

  /** The deadline of a tools/call: the tool globs, then the method globs. */
  @Benchmark
  public Duration deadline() {
    return UpstreamDeadline.of(call(toolCall));
  }
}
