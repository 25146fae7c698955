package io.mcpsidecar.agent.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.agent.telemetry.AccessLog;
import io.mcpsidecar.agent.telemetry.CallTracing;
import io.mcpsidecar.agent.telemetry.JsonLineEncoder;
import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.LoggerFactory;

/**
 * One access-log line of a finished, traced tools/call: what the event loop does ({@code build}:
 * {@link AccessLog#onEnd} up to the event the async appender would queue, including the work the
 * async appender does on the caller's thread), what the appender thread does ({@code encode}: the
 * event to its JSON bytes) and both together. The {@code mcp.access} logger is pointed at an
 * in-memory appender for the run, so no I/O is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessLogBenchmark {

  /** Keeps the last event, prepared as {@code AsyncAppender} prepares it before queueing. */
  static final class LastEvent extends AppenderBase<ILoggingEvent> {
    ILoggingEvent last;

    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      last = event;
    }
  }

  private final LastEvent appender = new LastEvent();
  private final JsonLineEncoder encoder = new JsonLineEncoder();
  private final AccessLog accessLog = new AccessLog();
  private Logger logger;
  private boolean additive;
  private Level level;
  private McpCall call;
  private ILoggingEvent event;

  @Setup
  public void setUp() {
    logger = (Logger) LoggerFactory.getLogger("mcp.access");
    additive = logger.isAdditive();
    level = logger.getLevel();
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    encoder.setContext(logger.getLoggerContext());
    encoder.start();

    AgentConfig config =
        ((ConfigResult.Valid) ConfigLoader.parse("upstream:\n  url: http://127.0.0.1:8080/mcp\n"))
            .config();
    JsonRpcParser parser = new JsonRpcParser(10_000);
    byte[] body = Payloads.toolsCall(1_234_567).getBytes();
    List<JsonRpcMessage> messages = ((ParseResult.Parsed) parser.parse(body)).messages();
    call =
        McpCall.builder("4bf92f3577b34da6a3ce929d0e0e4736", config)
            .headers(MultiMap.caseInsensitiveMultiMap())
            .era(McpEra.V2025_11_25)
            .messages(messages, false)
            .build();
    call.status(200);
    call.recordResponse(
        ((ParseResult.Parsed) parser.parse(Payloads.result("1234567").getBytes())).first());
    Span span =
        Span.wrap(
            SpanContext.create(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                TraceFlags.getSampled(),
                TraceState.getDefault()));
    call.put(CallTracing.SPANS, List.of(span));
    call.principal(new Principal("acme", "acme", Principal.Credential.API_KEY, null));
    accessLog.onEnd(call);
    event = appender.last;
    if (event == null) {
      throw new IllegalStateException("the access log wrote nothing");
    }
  }

  @TearDown
  public void tearDown() {
    logger.detachAppender(appender);
    logger.setAdditive(additive);
    logger.setLevel(level);
  }

  /** The event loop's part: the call's fields into the event handed to the async appender. */
  @Benchmark
  public ILoggingEvent build() {
    accessLog.onEnd(call);
    return appender.last;
  }

  /** The appender thread's part: the queued event to its JSON line. */
  @Benchmark
  public byte[] encode() {
    return encoder.encode(event);
  }

  /** Both: one access-log line from a finished call to its bytes. */
  @Benchmark
  public byte[] buildAndEncode() {
    accessLog.onEnd(call);
    return encoder.encode(appender.last);
  }
}
