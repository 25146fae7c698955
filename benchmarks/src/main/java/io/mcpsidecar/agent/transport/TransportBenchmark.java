package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.agent.telemetry.ProxyMetrics;
import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-call and per-event work of the transport package: edge checks, header copying, SSE
 * framing and observation, metrics recording. It lives in the agent's package (a split package on
 * the class path, as JMH suites commonly do) so it measures the package-private classes themselves
 * rather than a copy.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransportBenchmark {

  private static final int EVENTS_PER_CHUNK = 32;

  private MultiMap headers;
  private List<String> allowedOrigins;
  private Buffer sseChunk;
  private Buffer oneEvent;
  private Buffer responseEvent;
  private SseEventRelay relay;
  private JsonRpcMessage observed;
  private JsonRpcParser observer;
  private ProxyMetrics metrics;
  private McpCall call;

  @Setup
  public void setUp() {
    headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Host", "mcp.example.internal:9000")
            .add("User-Agent", "claude-code/1.0 (mcp-client)")
            .add("Content-Type", "application/json")
            .add("Accept", Payloads.ACCEPT)
            .add("Content-Length", "1024")
            .add("Mcp-Session-Id", "2f0c3a4e-8d1b-4f5e-9a7c-6b2d1e0f3a4b")
            .add("MCP-Protocol-Version", Payloads.PROTOCOL_VERSION)
            .add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .add("Connection", "keep-alive");
    allowedOrigins = List.of("https://app.example.com");
    StringBuilder events = new StringBuilder();
    for (int i = 1; i <= EVENTS_PER_CHUNK; i++) {
      events.append(Payloads.progressEvent(i, 1000));
    }
    sseChunk = Buffer.buffer(events.toString());
    oneEvent = Buffer.buffer(Payloads.progressEvent(7, 1000));
    responseEvent =
        Buffer.buffer("id: 8\nevent: message\ndata: " + Payloads.result("7").toString() + "\n\n");
    observer = new JsonRpcParser(10_000);
    relay =
        new SseEventRelay(
            new EndpointRewriter(URI.create("http://127.0.0.1:8080/mcp")),
            observer,
            message -> observed = message);

    AgentConfig config =
        ((ConfigResult.Valid) ConfigLoader.parse("upstream:\n  url: http://127.0.0.1:8080/mcp\n"))
            .config();
    metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    byte[] body = Payloads.toolsCall(1_234_567).getBytes();
    List<JsonRpcMessage> messages = ((ParseResult.Parsed) observer.parse(body)).messages();
    call =
        McpCall.builder("4bf92f3577b34da6a3ce929d0e0e4736", config)
            .headers(headers)
            .era(McpEra.V2025_11_25)
            .messages(messages, false)
            .build();
    call.status(200);
    byte[] answer = Payloads.result("1234567").getBytes();
    call.recordResponse(((ParseResult.Parsed) observer.parse(answer)).first());
  }

  /** The edge checks every request meets before its body is read. */
  @Benchmark
  public boolean edgeChecks() {
    return Headers.size(headers) <= 16384
        && headers.size() <= 100
        && OriginCheck.allowed(headers.get("Origin"), allowedOrigins)
        && headers.get("Content-Type").contains("json")
        && RequestIds.of(headers.get(RequestIds.HEADER)) != null;
  }

  /** Copying the end-to-end headers of one message (done for the request and the answer). */
  @Benchmark
  public MultiMap copyHeaders() {
    MultiMap to = MultiMap.caseInsensitiveMultiMap();
    Headers.copyEndToEnd(headers, to, Set.of("host", "content-length"));
    return to;
  }

  /** Cutting a 32-event read from the upstream into whole events and giving it back to relay. */
  @Benchmark
  public Buffer splitSseChunk(Blackhole hole) {
    return new SseEventSplitter(
            4 * 1024 * 1024,
            event -> {
              hole.consume(event);
              return event;
            })
        .feed(sseChunk);
  }

  /**
   * What the relay does per whole event, for a progress notification: read its fields, check the
   * endpoint, observe what can answer a request.
   */
  @Benchmark
  public Buffer observeSseEvent() {
    return relay.onEvent(oneEvent);
  }

  /** The same for an event carrying a response, which is parsed as JSON-RPC. */
  @Benchmark
  public JsonRpcMessage observeSseResponse() {
    relay.onEvent(responseEvent);
    return observed;
  }

  /** Counting and timing one finished tools/call (per-method timer and request counter). */
  @Benchmark
  public void recordMetrics() {
    metrics.onEnd(call);
  }
}
