package io.mcpsidecar.agent.telemetry;

import static io.mcpsidecar.agent.transport.TestCalls.answered;
import static io.mcpsidecar.agent.transport.TestCalls.call;
import static io.mcpsidecar.agent.transport.TestCalls.rejected;
import static io.mcpsidecar.agent.transport.TestCalls.response;
import static io.mcpsidecar.agent.transport.TestCalls.streamed;
import static io.mcpsidecar.agent.transport.TestCalls.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.SessionIds;
import io.mcpsidecar.agent.transport.TestCalls;
import io.mcpsidecar.config.AgentConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access-log line as it reaches stdout: every member, in order, with its JSON type and its
 * escaping, for the kinds of call the agent logs.
 */
class AccessLogLineTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  private final AgentConfig config = TestAgents.config("http://127.0.0.1:1/mcp", "");
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private final JsonLineEncoder encoder = new JsonLineEncoder();
  private final Logger logger = (Logger) LoggerFactory.getLogger("mcp.access");
  private Level level;

  @BeforeEach
  void attach() {
    level = logger.getLevel();
    logger.setLevel(Level.INFO);
    events.start();
    logger.addAppender(events);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(events);
    logger.setLevel(level);
  }

  private static McpCall traced(McpCall call) {
    call.put(
        CallTracing.SPANS,
        List.of(
            Span.wrap(
                SpanContext.create(
                    TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()))));
    return call;
  }

  /** The raw JSON lines the access log wrote for {@code call}. */
  private List<String> lines(McpCall call) {
    events.list.clear();
    new AccessLog().onEnd(call);
    return events.list.stream()
        .map(event -> new String(encoder.encode(event), StandardCharsets.UTF_8))
        .toList();
  }

  /**
   * Checks the line's envelope (ts, level, logger, msg) and then that the remaining members are
   * exactly {@code expected}, in that order and of those JSON types; durationMs is checked to be a
   * non-negative number and then compared as whatever it was.
   */
  private static void assertLine(String raw, String msg, Map<String, Object> expected) {
    assertThat(raw).endsWith("}\n").doesNotContain("\n}").hasLineCount(1);
    JsonObject line = new JsonObject(raw);
    Map<String, Object> members = new LinkedHashMap<>(line.getMap());
    assertThat(List.copyOf(members.keySet()).subList(0, 4))
        .containsExactly("ts", "level", "logger", "msg");
    String ts = (String) members.remove("ts");
    assertThat(Instant.parse(ts)).isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(members.remove("level")).isEqualTo("INFO");
    assertThat(members.remove("logger")).isEqualTo("mcp.access");
    assertThat(members.remove("msg")).isEqualTo(msg);
    assertThat(members.get("durationMs")).isInstanceOf(Double.class);
    assertThat((Double) members.get("durationMs")).isNotNegative();
    Map<String, Object> want = new LinkedHashMap<>();
    expected.forEach((k, v) -> want.put(k, "durationMs".equals(k) ? members.get(k) : v));
    assertThat(members).containsExactlyEntriesOf(want);
  }

  private static Map<String, Object> fields(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void writesEveryMemberOfAPlainToolsCallInOrder() {
    McpCall call = traced(call(config, HttpMethod.POST, toolCall("7", "echo")));
    call.headers().add("Mcp-Session-Id", "s-1");
    call.principal(TestCalls.principal("acme"));
    List<String> lines = lines(answered(call, 200, response("7", null, false)));

    assertThat(lines).hasSize(1);
    assertLine(
        lines.get(0),
        "tools/call 200",
        fields(
            "requestId", "req-1",
            "httpMethod", "POST",
            "status", 200,
            "era", "2025-03-26",
            "durationMs", null,
            "traceId", TRACE_ID,
            "spanId", SPAN_ID,
            "tenant", "acme",
            "session", SessionIds.fingerprint("s-1"),
            "kind", "request",
            "outcome", "ok",
            "method", "tools/call",
            "target", "echo",
            "jsonrpcId", "7"));
    assertThat(lines.get(0))
        .contains("\"status\":200,", "\"durationMs\":", "\"jsonrpcId\":\"7\"}\n")
        .doesNotContain("\"s-1\"");
  }

  @Test
  void writesTheErrorCodeOfAnErrorAnswerAsANumber() {
    List<String> lines =
        lines(
            answered(
                traced(call(config, HttpMethod.POST, toolCall("\"a\"", "echo"))),
                200,
                response("\"a\"", -32001, false)));

    assertLine(
        lines.get(0),
        "tools/call 200",
        fields(
            "requestId", "req-1",
            "httpMethod", "POST",
            "status", 200,
            "era", "2025-03-26",
            "durationMs", null,
            "traceId", TRACE_ID,
            "spanId", SPAN_ID,
            "kind", "request",
            "outcome", "error",
            "method", "tools/call",
            "target", "echo",
            "jsonrpcId", "\"a\"",
            "errorCode", -32001));
    assertThat(lines.get(0)).contains("\"jsonrpcId\":\"\\\"a\\\"\",\"errorCode\":-32001}");
  }

  @Test
  void writesTheReasonOfACallTheAgentRejected() {
    List<String> lines =
        lines(
            rejected(
                traced(call(config, HttpMethod.POST, toolCall("1", "echo"))),
                ErrorCode.RATE_LIMITED));

    assertLine(
        lines.get(0),
        "tools/call 429",
        fields(
            "requestId", "req-1",
            "httpMethod", "POST",
            "status", 429,
            "era", "2025-03-26",
            "durationMs", null,
            "traceId", TRACE_ID,
            "spanId", SPAN_ID,
            "rejected", "rate_limited",
            "kind", "request",
            "outcome", "rejected",
            "method", "tools/call",
            "target", "echo",
            "jsonrpcId", "1"));
  }

  @Test
  void marksAStreamedCallAndWritesOneLinePerMessage() {
    JsonRpcMessage notification =
        new JsonRpcMessage(
            MessageKind.NOTIFICATION,
            null,
            "notifications/progress",
            null,
            null,
            null,
            null,
            null,
            false);
    List<String> lines =
        lines(
            streamed(
                answered(
                    traced(call(config, HttpMethod.POST, toolCall("3", "slow"), notification)),
                    200,
                    response("3", null, true))));

    assertThat(lines).hasSize(2);
    assertLine(
        lines.get(0),
        "tools/call 200",
        fields(
            "requestId", "req-1",
            "httpMethod", "POST",
            "status", 200,
            "era", "2025-03-26",
            "durationMs", null,
            "traceId", TRACE_ID,
            "spanId", SPAN_ID,
            "stream", true,
            "kind", "request",
            "outcome", "tool_error",
            "method", "tools/call",
            "target", "slow",
            "jsonrpcId", "3"));
    assertThat(lines.get(0)).contains("\"stream\":true,");
    assertLine(
        lines.get(1),
        "notifications/progress 200",
        fields(
            "requestId", "req-1",
            "httpMethod", "POST",
            "status", 200,
            "era", "2025-03-26",
            "durationMs", null,
            "traceId", TRACE_ID,
            "spanId", SPAN_ID,
            "stream", true,
            "kind", "notification",
            "outcome", "ok",
            "method", "notifications/progress"));
  }

  @Test
  void writesAGetWithoutMessageMembersAndWithoutATraceWhenThereIsNone() {
    List<String> lines = lines(answered(call(config, HttpMethod.GET), 200));

    assertLine(
        lines.get(0),
        "GET 200",
        fields(
            "requestId", "req-1",
            "httpMethod", "GET",
            "status", 200,
            "era", "2025-03-26",
            "durationMs", null));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersAndKeepsOtherTextAsUtf8() throws Exception {
    String tool = "say \"hi\" \\ tab\t nl\n cr\r bs\b ff\f nul\u0000 us\u001f del\u007f é ☃ 😀";
    String requestId = "r\"1\\";
    McpCall call = traced(call(requestId, config, HttpMethod.POST, toolCall("1", tool)));
    call.headers().add("Mcp-Session-Id", "s\u0001");
    call.principal(TestCalls.principal("Zürich \"t\""));
    List<String> lines = lines(answered(call, 200, response("1", null, false)));

    assertLine(
        lines.get(0),
        "tools/call 200",
        fields(
            "requestId",
            requestId,
            "httpMethod",
            "POST",
            "status",
            200,
            "era",
            "2025-03-26",
            "durationMs",
            null,
            "traceId",
            TRACE_ID,
            "spanId",
            SPAN_ID,
            "tenant",
            "Zürich \"t\"",
            "session",
            SessionIds.fingerprint("s\u0001"),
            "kind",
            "request",
            "outcome",
            "ok",
            "method",
            "tools/call",
            "target",
            tool,
            "jsonrpcId",
            "1"));
    String raw = lines.get(0);
    assertThat(raw)
        .contains(
            "\"requestId\":\"r\\\"1\\\\\"",
            "\"tenant\":\"Zürich \\\"t\\\"\"",
            "\"target\":\"say \\\"hi\\\" \\\\ tab\\t nl\\n cr\\r bs\\b ff\\f nul\\u0000 us\\u001F"
                + " del\u007f é ☃ ");
    // the rest as Jackson's writeString has always written it (the character outside the BMP)
    ByteArrayOutputStream reference = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(reference)) {
      json.writeString(tool);
    }
    assertThat(raw).contains("\"target\":" + reference.toString(StandardCharsets.UTF_8) + ",");
  }

  @Test
  void writesTimestampsAsInstantDoes() {
    long now = System.currentTimeMillis();
    long[] samples = {
      0,
      1,
      999,
      1000,
      1001,
      -1,
      -999,
      -1000,
      -1001,
      now,
      now - now % 1000,
      now + 7,
      253_402_300_799_999L,
      253_402_300_800_000L,
      -62_167_219_200_001L
    };
    for (long millis : samples) {
      assertThat(encoder.timestamp(millis))
          .as("%d", millis)
          .isEqualTo(Instant.ofEpochMilli(millis).toString());
    }
    for (long millis = now; millis < now + 2_500; millis += 7) {
      assertThat(encoder.timestamp(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }
  }
}
