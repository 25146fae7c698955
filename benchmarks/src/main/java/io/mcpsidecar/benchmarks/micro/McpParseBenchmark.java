package io.mcpsidecar.benchmarks.micro;

import io.mcpsidecar.agent.mcp.EraDetector;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.agent.mcp.RoutingHeaders;
import io.mcpsidecar.benchmarks.upstream.Payloads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the agent does with every POST body and answer: the streaming JSON-RPC read of a 1 KiB
 * {@code tools/call} with era detection, the read of its ~0.5 KiB result (observed for telemetry),
 * and the 2026-07-28 routing-header check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class McpParseBenchmark {

  private byte[] call;
  private byte[] result;
  private JsonRpcMessage message;

  @Setup
  public void setUp() {
    call = Payloads.toolsCall(1_234_567).getBytes();
    result = Payloads.result("1234567").getBytes();
    message = ((ParseResult.Parsed) new JsonRpcParser(100).parse(call)).first();
  }

  /** As the agent does per POST: a parser for the call's config, parse, then the era. */
  @Benchmark
  public McpEra parseAndClassifyToolsCall() {
    ParseResult parsed = new JsonRpcParser(100).parse(call);
    return EraDetector.detect(Payloads.PROTOCOL_VERSION, (ParseResult.Parsed) parsed);
  }

  @Benchmark
  public ParseResult parseToolsCallResult() {
    return new JsonRpcParser(10_000).parse(result);
  }

  @Benchmark
  public String routingHeadersBase64Name() {
    return RoutingHeaders.mismatch("tools/call", "=?base64?c2VhcmNoX2RvY3VtZW50cw==?=", message);
  }

  @Benchmark
  public String routingHeadersPlainName() {
    return RoutingHeaders.mismatch("tools/call", "search_documents", message);
  }
}
