package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.agent.transport.CallListener;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.McpInterceptor;
import io.mcpsidecar.agent.transport.Verdict;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spans that follow the OpenTelemetry MCP semantic conventions: a server span per JSON-RPC request
 * named {@code {mcp.method.name} {target}}, and a client span for the call to the MCP server whose
 * context travels upstream in {@code traceparent}. The parent comes from {@code
 * params._meta.traceparent} (SEP-414) first, the HTTP {@code traceparent} second.
 *
 * <p>It is the first stage of the chain (so rejections by later stages are traced) and a listener
 * (so the spans end when the exchange ends, and exchanges refused at the edge are traced too).
 */
public final class CallTracing implements McpInterceptor, CallListener {

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("mcp.method.name");
  static final AttributeKey<String> TOOL = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> PROMPT = AttributeKey.stringKey("gen_ai.prompt.name");
  static final AttributeKey<String> RESOURCE = AttributeKey.stringKey("mcp.resource.uri");
  static final AttributeKey<String> SESSION = AttributeKey.stringKey("mcp.session.id");
  static final AttributeKey<String> VERSION = AttributeKey.stringKey("mcp.protocol.version");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("jsonrpc.request.id");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SIDECAR_REQUEST_ID =
      AttributeKey.stringKey("mcp_sidecar.request.id");
  private static final String SPANS = CallTracing.class.getName() + ".spans";
  private static final String CLIENT = CallTracing.class.getName() + ".client";

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final boolean propagateInMeta;

  public CallTracing(Tracer tracer, TextMapPropagator propagator) {
    this(tracer, propagator, false);
  }

  /**
   * @param propagateInMeta also write the client span's context into {@code params._meta} of every
   *     request sent upstream (SEP-414), for servers that read it there rather than in headers
   */
  public CallTracing(Tracer tracer, TextMapPropagator propagator, boolean propagateInMeta) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.propagateInMeta = propagateInMeta;
  }

  @Override
  public String name() {
    return "tracing";
  }

  @Override
  public Future<Verdict> intercept(McpCall call) {
    startServerSpans(call);
    return Future.succeededFuture(Verdict.PROCEED);
  }

  @Override
  public void onUpstreamRequest(McpCall call, MultiMap headers) {
    List<Span> spans = spans(call);
    if (spans.isEmpty()) {
      return;
    }
    Span server = spans.get(0);
    JsonRpcMessage first = firstTraced(call);
    Span client =
        tracer
            .spanBuilder(spanName(first))
            .setSpanKind(SpanKind.CLIENT)
            .setParent(Context.root().with(server))
            .setAttribute(METHOD, first.method())
            .startSpan();
    call.attributes().put(CLIENT, client);
    headers.remove("traceparent");
    headers.remove("tracestate");
    propagator.inject(Context.root().with(client), headers, MultiMap::set);
    if (propagateInMeta && call.body() != null) {
      Buffer rewritten =
          MetaContext.inject(call.body(), headers.get("traceparent"), headers.get("tracestate"));
      if (rewritten != null) {
        call.upstreamBody(rewritten);
      }
    }
  }

  @Override
  public void onEnd(McpCall call) {
    if (!call.attributes().containsKey(SPANS)) {
      startServerSpans(call); // refused at the edge, before the chain ran
    }
    Object client = call.attributes().get(CLIENT);
    if (client instanceof Span span) {
      if (call.status() >= 500 || call.upstreamFailure() != null) {
        span.setStatus(StatusCode.ERROR);
        span.setAttribute(
            ERROR_TYPE, call.status() >= 500 ? String.valueOf(call.status()) : "upstream_error");
      }
      span.end();
    }
    List<JsonRpcMessage> traced = traced(call);
    List<Span> spans = spans(call);
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      String error =
          i < traced.size()
              ? errorType(call, traced.get(i))
              : String.valueOf(call.rejectedWith().code());
      if (error != null) {
        span.setAttribute(ERROR_TYPE, error);
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }

  private void startServerSpans(McpCall call) {
    List<Span> spans = new ArrayList<>();
    call.attributes().put(SPANS, spans);
    List<JsonRpcMessage> traced = traced(call);
    if (traced.isEmpty() && call.rejectedWith() == null) {
      return; // streams and notifications: no MCP request to trace
    }
    long startEpochNanos =
        TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis())
            - (System.nanoTime() - call.startNanos());
    Context httpParent = propagator.extract(Context.root(), call.headers(), HeaderGetter.INSTANCE);
    if (traced.isEmpty()) {
      // Refused before the body was read: an HTTP-level span says what was refused and why.
      spans.add(
          tracer
              .spanBuilder(call.httpMethod().name())
              .setSpanKind(SpanKind.SERVER)
              .setParent(httpParent)
              .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
              .setAttribute(SIDECAR_REQUEST_ID, call.requestId())
              .startSpan());
      call.attributes().put(McpCall.TRACE_ID, spans.get(0).getSpanContext().getTraceId());
      return;
    }
    for (JsonRpcMessage message : traced) {
      Context parent = httpParent;
      if (message.metaTraceparent() != null) {
        parent =
            propagator.extract(
                Context.root(), message.metaTraceparent(), MetaTraceparentGetter.INSTANCE);
      }
      SpanBuilder builder =
          tracer
              .spanBuilder(spanName(message))
              .setSpanKind(SpanKind.SERVER)
              .setParent(parent)
              .setStartTimestamp(startEpochNanos, TimeUnit.NANOSECONDS)
              .setAttribute(METHOD, message.method())
              .setAttribute(VERSION, call.era().version())
              .setAttribute(SIDECAR_REQUEST_ID, call.requestId());
      if (message.id() != null) {
        builder.setAttribute(REQUEST_ID, unquote(message.id()));
      }
      if (call.sessionId() != null && call.era().hasSessions()) {
        builder.setAttribute(SESSION, call.sessionFingerprint());
      }
      if (message.target() != null) {
        switch (message.targetKind()) {
          case TOOL -> builder.setAttribute(TOOL, message.target());
          case PROMPT -> builder.setAttribute(PROMPT, message.target());
          case RESOURCE -> builder.setAttribute(RESOURCE, message.target());
          case NONE -> {}
        }
      }
      Object tenant = call.attributes().get("tenant");
      if (tenant != null) {
        builder.setAttribute("mcp_sidecar.tenant", tenant.toString());
      }
      spans.add(builder.startSpan());
    }
    call.attributes().put(McpCall.TRACE_ID, spans.get(0).getSpanContext().getTraceId());
  }

  /** The JSON-RPC code, {@code tool_error} when {@code isError} is true, or null for success. */
  static String errorType(McpCall call, JsonRpcMessage request) {
    if (call.rejectedWith() != null) {
      return String.valueOf(call.rejectedWith().code());
    }
    if (call.upstreamFailure() != null) {
      return "upstream_error";
    }
    JsonRpcMessage response = request.id() == null ? null : call.responses().get(request.id());
    if (response != null && response.errorCode() != null) {
      return String.valueOf(response.errorCode());
    }
    if (response != null && response.toolError()) {
      return "tool_error";
    }
    if (response == null && call.status() >= 400) {
      return String.valueOf(call.status());
    }
    return null;
  }

  static String spanName(JsonRpcMessage message) {
    return message.target() == null ? message.method() : message.method() + " " + message.target();
  }

  /** The server spans of the call's requests, in message order (empty when none were made). */
  static List<Span> serverSpans(McpCall call) {
    return spans(call);
  }

  /** The span context of the call's first request, for log correlation; invalid when none. */
  static io.opentelemetry.api.trace.SpanContext spanContext(McpCall call) {
    List<Span> spans = spans(call);
    return spans.isEmpty()
        ? io.opentelemetry.api.trace.SpanContext.getInvalid()
        : spans.get(0).getSpanContext();
  }

  @SuppressWarnings("unchecked")
  private static List<Span> spans(McpCall call) {
    Object spans = call.attributes().get(SPANS);
    return spans == null ? List.of() : (List<Span>) spans;
  }

  private static List<JsonRpcMessage> traced(McpCall call) {
    List<JsonRpcMessage> traced = new ArrayList<>();
    for (JsonRpcMessage message : call.messages()) {
      if (message.kind() == MessageKind.REQUEST) {
        traced.add(message);
      }
    }
    return traced;
  }

  private static JsonRpcMessage firstTraced(McpCall call) {
    return traced(call).get(0);
  }

  private static String unquote(String id) {
    return id.length() >= 2 && id.startsWith("\"") && id.endsWith("\"")
        ? id.substring(1, id.length() - 1)
        : id;
  }

  private enum HeaderGetter implements TextMapGetter<MultiMap> {
    INSTANCE;

    @Override
    public Iterable<String> keys(MultiMap carrier) {
      return carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }

  /** Reads a bare {@code traceparent} value taken from {@code params._meta}. */
  private enum MetaTraceparentGetter implements TextMapGetter<String> {
    INSTANCE;

    @Override
    public Iterable<String> keys(String carrier) {
      return List.of("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  }
}
