package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.MessageKind;
import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP exchange on the MCP endpoint and what the agent learned about it. Created, read and
 * updated only on the event loop of its connection, so it needs no locking.
 */
public final class McpCall {

  /** The W3C trace id of the call's first span, once tracing has run. */
  public static final CallKey<String> TRACE_ID = CallKey.of("traceId", String.class);

  private final String requestId;
  private final HttpMethod httpMethod;
  private final String uri;
  private final MultiMap headers;
  private final String remoteAddress;
  private final AgentConfig config;
  private final long startNanos;
  private final McpEra era;
  private final List<JsonRpcMessage> messages;
  private final boolean batch;
  private final Map<CallKey<?>, Object> attributes = new HashMap<>(8);
  private final Map<String, JsonRpcMessage> responses = new HashMap<>();
  private List<AnswerRewrite> answerRewrites = List.of();
  private final MultiMap responseHeaders;
  private int status;
  private ErrorCode rejectedWith;
  private boolean stream;
  private String upstreamFailure;
  private boolean keepAnswer;
  private String answerText;
  private long bytesIn;
  private io.vertx.core.buffer.Buffer body;
  private io.vertx.core.buffer.Buffer upstreamBody;
  private long bytesOut;
  private String sessionFingerprint;
  private Principal principal;
  // The transport's own handles on the exchange, for the upstream stage.
  HttpServerRequest request;
  Exchange exchange;
  io.vertx.core.buffer.Buffer forwardBody;
  private HeldStream held;

  private McpCall(
      String requestId,
      HttpMethod httpMethod,
      String uri,
      MultiMap headers,
      String remoteAddress,
      AgentConfig config,
      long startNanos,
      McpEra era,
      List<JsonRpcMessage> messages,
      boolean batch,
      MultiMap responseHeaders) {
    this.requestId = requestId;
    this.httpMethod = httpMethod;
    this.uri = uri;
    this.headers = headers;
    this.remoteAddress = remoteAddress;
    this.config = config;
    this.startNanos = startNanos;
    this.era = era;
    this.messages = List.copyOf(messages);
    this.batch = batch;
    this.responseHeaders = responseHeaders;
  }

  public String requestId() {
    return requestId;
  }

  public HttpMethod httpMethod() {
    return httpMethod;
  }

  public String uri() {
    return uri;
  }

  /**
   * The client's request headers, as they will be forwarded: a stage may change them before it
   * calls its {@code next} (identity removes a credential it consumed, trace-context writes its
   * {@code traceparent}); listeners only read them.
   */
  public MultiMap headers() {
    return headers;
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  /** The config snapshot this call started under; it keeps it until it ends. */
  public AgentConfig config() {
    return config;
  }

  public long startNanos() {
    return startNanos;
  }

  public McpEra era() {
    return era;
  }

  public String sessionId() {
    return headers.get(SessionIds.HEADER);
  }

  /** The session id as logs and spans show it ({@link SessionIds#fingerprint}), or null. */
  public String sessionFingerprint() {
    String id = sessionId();
    if (id == null) {
      return null;
    }
    if (sessionFingerprint == null) {
      sessionFingerprint = SessionIds.fingerprint(id);
    }
    return sessionFingerprint;
  }

  /** The parsed JSON-RPC messages of a POST; empty for GET and DELETE. */
  public List<JsonRpcMessage> messages() {
    return messages;
  }

  public boolean batch() {
    return batch;
  }

  /**
   * The headers of the response to the client. A stage may add to them before the call is forwarded
   * ({@code RateLimit}); the server's headers are added when its answer is written, so in {@link
   * Stage#onEnd} they show what the client got ({@code Mcp-Session-Id}).
   */
  public MultiMap responseHeaders() {
    return responseHeaders;
  }

  /** The value a stage kept under {@code key}, or null. */
  public <T> T get(CallKey<T> key) {
    return key.cast(attributes.get(key));
  }

  /** Keeps {@code value} under {@code key} for later stages (and this stage's end hook). */
  public <T> void put(CallKey<T> key, T value) {
    attributes.put(key, value);
  }

  /** Removes and returns the value under {@code key}, or null. */
  public <T> T remove(CallKey<T> key) {
    return key.cast(attributes.remove(key));
  }

  /** Who made the call, once the identity stage ran (null before, or when it refused the call). */
  public Principal principal() {
    return principal;
  }

  /**
   * Sets who made the call; once only (by the identity stage).
   *
   * @throws IllegalStateException when it was set already
   */
  public void principal(Principal principal) {
    if (this.principal != null) {
      throw new IllegalStateException("the principal of call " + requestId + " is set already");
    }
    this.principal = java.util.Objects.requireNonNull(principal);
  }

  /** The principal's tenant, or {@code otherwise} when no principal is known. */
  public String tenantOr(String otherwise) {
    return principal == null ? otherwise : principal.tenant();
  }

  /**
   * The JSON text of the id of the call's first request (what an error answer echoes), or null when
   * the call carries no request with an id.
   */
  public String firstRequestId() {
    for (JsonRpcMessage message : messages) {
      if (message.id() != null && message.isRequest()) {
        return message.id();
      }
    }
    return null;
  }

  /** The call's first JSON-RPC message, or null for GET and DELETE. */
  public JsonRpcMessage firstMessage() {
    return messages.isEmpty() ? null : messages.get(0);
  }

  /** Responses the server sent to this call's requests, by request id. */
  public Map<String, JsonRpcMessage> responses() {
    return responses;
  }

  public int status() {
    return status;
  }

  void status(int status) {
    this.status = status;
  }

  /** The code the agent rejected this call with, or null when it was forwarded. */
  public ErrorCode rejectedWith() {
    return rejectedWith;
  }

  void rejectedWith(ErrorCode code) {
    this.rejectedWith = code;
  }

  /** Whether the server answered with an event stream. */
  public boolean stream() {
    return stream;
  }

  void stream(boolean stream) {
    this.stream = stream;
  }

  /** Why the upstream exchange failed after it started (mid-stream close), or null. */
  public String upstreamFailure() {
    return upstreamFailure;
  }

  void upstreamFailure(String reason) {
    this.upstreamFailure = reason;
  }

  /** Whether the client left before its answer ended. */
  public boolean clientGone() {
    return exchange != null && exchange.clientGone();
  }

  /**
   * Runs {@code action} on the call's event loop if the client leaves before the exchange ends (a
   * stage that holds the call in a queue lets it go). Without a transport (tests of stages alone)
   * it never runs.
   */
  public void whenClientGone(Runnable action) {
    if (exchange != null) {
      exchange.watchClientGone(action);
    }
  }

  /**
   * Asks the transport to keep the JSON text of the server's response to the call's first request,
   * when that response is observed (a JSON answer or an event up to the observed sizes); {@link
   * #answerText} has it once the exchange ends.
   */
  public void keepAnswer() {
    this.keepAnswer = true;
  }

  boolean keepsAnswer() {
    return keepAnswer;
  }

  /**
   * The JSON text of the response to the first request, when {@link #keepAnswer} asked; or null.
   */
  public String answerText() {
    return answerText;
  }

  void answerText(String text) {
    if (answerText == null) {
      this.answerText = text;
    }
  }

  /** Request body bytes received from the client. */
  public long bytesIn() {
    return bytesIn;
  }

  void bytesIn(long bytes) {
    this.bytesIn = bytes;
  }

  /** The POST body as the client sent it (null for other methods); read-only by convention. */
  public io.vertx.core.buffer.Buffer body() {
    return body;
  }

  void body(io.vertx.core.buffer.Buffer body) {
    this.body = body;
  }

  /**
   * Replaces the body sent to the server (a stage propagating trace context in {@code _meta}); must
   * be called before the stage calls its {@code next}.
   */
  public void upstreamBody(io.vertx.core.buffer.Buffer replacement) {
    this.upstreamBody = replacement;
  }

  /** The body the server will be sent: the last replacement, or the client's body. */
  public io.vertx.core.buffer.Buffer upstreamBody() {
    return upstreamBody != null ? upstreamBody : body;
  }

  /**
   * Registers a rewrite of the server's answer (see {@link AnswerRewrite}); must be called before
   * the stage calls its {@code next}. Rewrites apply in the order registered.
   */
  public void rewriteAnswer(AnswerRewrite rewrite) {
    List<AnswerRewrite> next = new java.util.ArrayList<>(answerRewrites);
    next.add(java.util.Objects.requireNonNull(rewrite));
    answerRewrites = List.copyOf(next);
  }

  /** The rewrites of the server's answer, in order; empty for most calls. */
  public List<AnswerRewrite> answerRewrites() {
    return answerRewrites;
  }

  io.vertx.core.buffer.Buffer upstreamBodyOr(io.vertx.core.buffer.Buffer original) {
    return upstreamBody != null ? upstreamBody : original;
  }

  /** Response body bytes relayed to the client. */
  public long bytesOut() {
    return bytesOut;
  }

  void addBytesOut(long bytes) {
    this.bytesOut += bytes;
  }

  /**
   * Keeps the server's response to one of this call's requests; anything else on the stream
   * (notifications, the server's own requests, responses to other calls) is only passed to the
   * listeners, never kept. So a call holds at most one response per request it carried, however
   * long its stream runs (a GET stream carries no requests and keeps nothing).
   */
  void recordResponse(JsonRpcMessage response) {
    if (response.id() == null
        || response.kind() != MessageKind.RESPONSE
        || responses.containsKey(response.id())
        || !pending(response.id())) {
      return;
    }
    responses.put(response.id(), response);
  }

  private boolean pending(String id) {
    for (JsonRpcMessage message : messages) {
      if (message.isRequest() && id.equals(message.id())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Opens (on its first use) an event stream to the client before the call's outcome exists, for a
   * stage that keeps the request open while it waits; the outcome is then written into it. Only for
   * a call of a live exchange (not one built for a test of a stage alone).
   */
  public HeldStream hold() {
    if (held == null) {
      held = new HeldStream(this, request.response());
    }
    return held;
  }

  /** The held stream, when a stage opened one and wrote its head; else null. */
  HeldStream held() {
    return held != null && held.headWritten() ? held : null;
  }

  /** A builder of calls: for the transport, and for tests and benchmarks of stages. */
  public static Builder builder(String requestId, AgentConfig config) {
    return new Builder(requestId, config);
  }

  /** Builds a {@link McpCall}; what is not set is a POST to {@code /mcp} started now. */
  public static final class Builder {
    private final String requestId;
    private final AgentConfig config;
    private HttpMethod method = HttpMethod.POST;
    private String uri = "/mcp";
    private MultiMap headers;
    private String remoteAddress = "127.0.0.1";
    private long startNanos = System.nanoTime();
    private McpEra era = McpEra.DEFAULT;
    private List<JsonRpcMessage> messages = List.of();
    private boolean batch;
    private MultiMap responseHeaders;

    private Builder(String requestId, AgentConfig config) {
      this.requestId = requestId;
      this.config = config;
    }

    public Builder method(HttpMethod method) {
      this.method = method;
      return this;
    }

    public Builder uri(String uri) {
      this.uri = uri;
      return this;
    }

    /** The client's request headers; the call uses (and stages may change) this very map. */
    public Builder headers(MultiMap headers) {
      this.headers = headers;
      return this;
    }

    public Builder remoteAddress(String remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    public Builder startNanos(long startNanos) {
      this.startNanos = startNanos;
      return this;
    }

    public Builder era(McpEra era) {
      this.era = era;
      return this;
    }

    /** The parsed messages, and whether they came as a batch. */
    public Builder messages(List<JsonRpcMessage> messages, boolean batch) {
      this.messages = messages;
      this.batch = batch;
      return this;
    }

    /** The headers of the response to the client; the call uses this very map. */
    public Builder responseHeaders(MultiMap responseHeaders) {
      this.responseHeaders = responseHeaders;
      return this;
    }

    public McpCall build() {
      return new McpCall(
          requestId,
          method,
          uri,
          headers != null ? headers : MultiMap.caseInsensitiveMultiMap(),
          remoteAddress,
          config,
          startNanos,
          era,
          messages,
          batch,
          responseHeaders != null ? responseHeaders : MultiMap.caseInsensitiveMultiMap());
    }
  }
}
