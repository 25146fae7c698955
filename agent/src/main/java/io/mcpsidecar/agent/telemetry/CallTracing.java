package io.mcpsidecar.agent.telemetry;

import io.mcpsidecar.agent.identity.IdentityStage;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.agent.transport.CallKey;
import io.mcpsidecar.agent.transport.EdgeStage;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Stage;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Spans that follow the OpenTelemetry MCP semantic conventions: a server span per JSON-RPC request
 * named {@code {mcp.method.name} {target}}, and a client span for the call to the MCP server whose
 * context travels upstream in {@code traceparent}. The parent comes from {@code
 * params._meta.traceparent} (SEP-414) first, the HTTP {@code traceparent} second.
 *
 * <p>It is two stages: {@code tracing} right after the edge checks starts the server spans (so
 * refusals by later stages are traced, and their audit lines carry the trace id), and {@code
 * trace-context} ({@link #upstreamContext}) right before the upstream call starts the client span
 * and writes its context into the forwarded request. The spans end when the exchange ends (also for
 * exchanges refused at the edge, before any stage ran), with the tenant once identity has run.
 */
public final class CallTracing implements Stage {

  public static final String NAME = "tracing";
  public static final String CONTEXT_NAME = "trace-context";

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
  static final AttributeKey<String> TENANT = AttributeKey.stringKey("mcp_sidecar.tenant");

  /** The server spans of the call's requests, in message order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final CallKey<List<Span>> SPANS = (CallKey) CallKey.of("tracing.spans", List.class);

  private static final CallKey<Span> CLIENT = CallKey.of("tracing.client", Span.class);

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
    return NAME;
  }

  @Override
  public Set<String> requires() {
    return Set.of(EdgeStage.NAME);
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    startServerSpans(call);
    return next.proceed();
  }

  /**
   * The stage that starts the client span of a forwarded call and propagates its context: place it
   * right before the upstream stage, so that only calls the server sees have one.
   */
  public Stage upstreamContext() {
    return new Stage() {
      @Override
      public String name() {
        return CONTEXT_NAME;
      }

      @Override
      public Set<String> requires() {
        return Set.of(NAME, IdentityStage.NAME);
      }

      @Override
      public Future<Outcome> handle(McpCall call, Next next) {
        startClientSpan(call);
        return next.proceed();
      }
    };
  }

  private void startClientSpan(McpCall call) {
    List<Span> spans = spans(call);
    if (spans.isEmpty()) {
      return;
    }
    Span server = spans.get(0);
    JsonRpcMessage first = firstTraced(call);
    if (first == null) {
      return; // an HTTP-level span of a GET or DELETE
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(spanName(first))
            .setSpanKind(SpanKind.CLIENT)
            .setParent(Context.root().with(server))
            .setAttribute(METHOD, first.method());
    if (call.principal() != null) {
      builder.setAttribute(TENANT, call.principal().tenant());
    }
    Span client = builder.startSpan();
    call.put(CLIENT, client);
    MultiMap headers = call.headers(); // forwarded as the stages leave them
    headers.remove("traceparent");
    headers.remove("tracestate");
    propagator.inject(Context.root().with(client), headers, MultiMap::set);
    if (propagateInMeta && call.upstreamBody() != null) {
      Buffer rewritten =
          MetaContext.inject(
              call.upstreamBody(), headers.get("traceparent"), headers.get("tracestate"));
      if (rewritten != null) {
        call.upstreamBody(rewritten);
      }
    }
  }

  @Override
  public void onEnd(McpCall call) {
    if (call.get(SPANS) == null) {
      startServerSpans(call); // refused at the edge, before this stage ran
    }
    Span client = call.get(CLIENT);
    if (client != null) {
      if (call.status() >= 500 || call.upstreamFailure() != null) {
        client.setStatus(StatusCode.ERROR);
        client.setAttribute(
            ERROR_TYPE, call.status() >= 500 ? String.valueOf(call.status()) : "upstream_error");
      }
      client.end();
    }
    List<JsonRpcMessage> traced = traced(call);
    List<Span> spans = spans(call);
    String tenant = call.principal() == null ? null : call.principal().tenant();
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      if (tenant != null) {
        span.setAttribute(TENANT, tenant);
      }
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
    call.put(SPANS, spans);
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
      call.put(McpCall.TRACE_ID, spans.get(0).getSpanContext().getTraceId());
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
      if (call.principal() != null) {
        builder.setAttribute(TENANT, call.principal().tenant());
      }
      spans.add(builder.startSpan());
    }
    call.put(McpCall.TRACE_ID, spans.get(0).getSpanContext().getTraceId());
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

  private static List<Span> spans(McpCall call) {
    List<Span> spans = call.get(SPANS);
    return spans == null ? List.of() : spans;
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
    for (JsonRpcMessage message : call.messages()) {
      if (message.kind() == MessageKind.REQUEST) {
        return message;
      }
    }
    return null;
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
