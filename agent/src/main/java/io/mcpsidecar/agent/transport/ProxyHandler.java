package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.EraDetector;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.agent.mcp.RoutingHeaders;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.EdgeConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The MCP endpoint: edge checks, body reading and parsing, era rules, the interceptor chain, then
 * the upstream exchange. Every path ends in exactly one call to {@link #end}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private final Supplier<AgentConfig> config;
  private final InterceptorChain chain;
  private final UpstreamExchange upstream;
  private final CallListener listener;
  private final ActiveStreams streams;
  private final BooleanSupplier draining;
  private final Vertx vertx;
  private final ListenerGuard guard;

  ProxyHandler(
      Vertx vertx,
      ListenerGuard guard,
      Supplier<AgentConfig> config,
      InterceptorChain chain,
      UpstreamExchange upstream,
      CallListener listener,
      ActiveStreams streams,
      BooleanSupplier draining) {
    this.vertx = vertx;
    this.guard = guard;
    this.config = config;
    this.chain = chain;
    this.upstream = upstream;
    this.listener = listener;
    this.streams = streams;
    this.draining = draining;
  }

  @Override
  public void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    guard.requestStarted(req);
    AgentConfig cfg = config.get(); // the snapshot this call keeps until it ends
    String requestId = RequestIds.of(req.getHeader(RequestIds.HEADER));
    req.response().putHeader(RequestIds.HEADER, requestId);
    streams.callStarted();
    Exchange exchange =
        new Exchange(() -> call(req, requestId, cfg, start, McpEra.DEFAULT, null), this::end);
    req.response().closeHandler(v -> exchange.clientLeft());
    Rejection early = MethodCheck.refusal(req);
    if (early == null) {
      early = edgeCheck(req, cfg);
    }
    if (early != null) {
      if (MethodCheck.hasBody(req)) {
        req.response().putHeader("Connection", "close"); // the body is never read
        closeAfter(req, reject(req, exchange, null, early), false);
      } else {
        reject(req, exchange, null, early);
      }
      return;
    }
    if (req.method() == HttpMethod.POST) {
      BodyReader.read(
          vertx,
          req,
          exchange,
          guard,
          cfg.edge().maxBodyBytes(),
          body -> onBody(req, exchange, requestId, cfg, start, body),
          refused -> refuseBody(req, exchange, cfg, refused));
      return;
    }
    McpEra era = McpEra.of(req.getHeader("MCP-Protocol-Version"));
    exchange.call(call(req, requestId, cfg, start, era, null));
    if (MethodCheck.hasBody(req)) {
      // GET and DELETE carry no body in MCP; one that comes anyway is read within the same bounds
      // and passed on as it is.
      BodyReader.read(
          vertx,
          req,
          exchange,
          guard,
          cfg.edge().maxBodyBytes(),
          body -> proceed(req, exchange, body),
          refused -> refuseBody(req, exchange, cfg, refused));
    } else {
      proceed(req, exchange, null);
    }
  }

  /** The body was refused while it was arriving: answer, and close (the rest is never read). */
  private void refuseBody(
      HttpServerRequest req, Exchange exchange, AgentConfig cfg, Rejection refused) {
    req.response().putHeader("Connection", "close");
    Rejection rejection = refused == null ? tooLarge(cfg.edge()) : refused;
    closeAfter(
        req, reject(req, exchange, null, rejection), rejection.code() == ErrorCode.REQUEST_TIMEOUT);
  }

  /**
   * Closes the connection once the answer is written and the rest of the request body has gone by
   * unread, or {@code listen.bodyTimeout} after the answer at the latest ({@code now}: at once; a
   * stalled body may never go by). Closing while the client is still sending would reset the
   * connection and could lose the answer, so the client gets that long to finish sending (a
   * lingering close, as nginx's {@code lingering_timeout}); a client that stalls or sends forever
   * is closed when it runs out.
   */
  private void closeAfter(HttpServerRequest req, Future<Void> written, boolean now) {
    if (now || req.isEnded()) {
      written.onComplete(v -> req.connection().close());
      return;
    }
    long linger = Math.max(1, config.get().listen().bodyTimeout().toMillis());
    req.handler(chunk -> {});
    req.endHandler(v -> written.onComplete(w -> req.connection().close()));
    written.onComplete(w -> vertx.setTimer(linger, t -> req.connection().close()));
    req.resume();
  }

  private Rejection edgeCheck(HttpServerRequest req, AgentConfig cfg) {
    EdgeConfig edge = cfg.edge();
    if (draining.getAsBoolean()) {
      req.response().putHeader("Connection", "close");
      return Rejection.of(ErrorCode.SHUTTING_DOWN, "the agent is shutting down; retry");
    }
    if (req.headers().size() > edge.maxHeaderCount()
        || Headers.size(req.headers()) > edge.maxHeaderBytes()) {
      return Rejection.of(
          ErrorCode.HEADERS_TOO_LARGE,
          "too many or too large request headers",
          Map.of("maxHeaderCount", edge.maxHeaderCount(), "maxHeaderBytes", edge.maxHeaderBytes()));
    }
    String origin = req.getHeader("Origin");
    if (!OriginCheck.allowed(origin, edge.allowedOrigins())) {
      return Rejection.of(
          ErrorCode.ORIGIN_NOT_ALLOWED, "Origin not allowed", Map.of("origin", origin));
    }
    if (req.method() != HttpMethod.POST) {
      Rejection session = sessionIdCheck(req, edge);
      if (session != null) {
        return session; // a POST is checked once its body is parsed, to answer with its id
      }
    }
    if (req.method() == HttpMethod.POST) {
      String contentType = req.getHeader("Content-Type");
      if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
        return Rejection.of(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "MCP messages are POSTed as application/json",
            Map.of("contentType", contentType));
      }
      String length = req.getHeader("Content-Length");
      if (length != null && tooLong(length, edge.maxBodyBytes())) {
        req.response().putHeader("Connection", "close");
        return tooLarge(edge);
      }
    }
    return null;
  }

  private void onBody(
      HttpServerRequest req,
      Exchange exchange,
      String requestId,
      AgentConfig cfg,
      long start,
      Buffer body) {
    ParseResult result = new JsonRpcParser(cfg.edge().maxBatchSize()).parse(body.getBytes());
    if (result instanceof ParseResult.Malformed malformed) {
      reject(
          req,
          exchange,
          null,
          Rejection.of(ErrorCode.PARSE_ERROR, "Parse error", Map.of("reason", malformed.reason())));
      return;
    }
    if (result instanceof ParseResult.Invalid invalid) {
      reject(
          req,
          exchange,
          invalid.id(),
          Rejection.of(
              ErrorCode.INVALID_REQUEST, "Invalid Request", Map.of("reason", invalid.reason())));
      return;
    }
    ParseResult.Parsed parsed = (ParseResult.Parsed) result;
    McpEra era = EraDetector.detect(req.getHeader("MCP-Protocol-Version"), parsed);
    McpCall call = call(req, requestId, cfg, start, era, parsed);
    exchange.call(call);
    String firstId = UpstreamExchange.firstRequestId(call);
    Rejection session = sessionIdCheck(req, cfg.edge());
    if (session != null) {
      reject(req, exchange, firstId, session);
      return;
    }
    if (parsed.batch() && !era.allowsBatches()) {
      reject(
          req,
          exchange,
          null,
          Rejection.of(
              ErrorCode.INVALID_REQUEST,
              "JSON-RPC batches are not allowed in protocol version " + era.version(),
              Map.of("reason", "batch_not_allowed", "protocolVersion", era.version())));
      return;
    }
    if (era.isStateless() && !parsed.batch()) {
      String mismatch =
          RoutingHeaders.mismatch(
              req.getHeader(RoutingHeaders.METHOD),
              req.getHeader(RoutingHeaders.NAME),
              parsed.first());
      if (mismatch != null) {
        reject(
            req,
            exchange,
            firstId,
            Rejection.of(ErrorCode.HEADER_MISMATCH, mismatch, Map.of("reason", mismatch)));
        return;
      }
    }
    call.bytesIn(body.length());
    call.body(body);
    proceed(req, exchange, body);
  }

  private void proceed(HttpServerRequest req, Exchange exchange, Buffer body) {
    McpCall call = exchange.call();
    exchange.deciding();
    chain
        .run(call)
        .onComplete(
            decided -> {
              if (!exchange.decided()) {
                return; // the client left while the chain decided
              }
              Verdict verdict = decided.result();
              if (verdict instanceof Verdict.Reject rejected) {
                reject(req, exchange, UpstreamExchange.firstRequestId(call), rejected.rejection());
                return;
              }
              if (verdict instanceof Verdict.Respond answer) {
                respond(req, exchange, answer);
                return;
              }
              upstream.forward(req, call, body, exchange);
            });
  }

  private Future<Void> reject(
      HttpServerRequest req, Exchange exchange, String id, Rejection rejection) {
    McpCall call = exchange.call();
    call.rejectedWith(rejection.code());
    call.status(rejection.code().httpStatus());
    Future<Void> written = Responses.reject(req.response(), call.requestId(), id, rejection);
    exchange.end();
    return written;
  }

  private void respond(HttpServerRequest req, Exchange exchange, Verdict.Respond answer) {
    McpCall call = exchange.call();
    call.status(answer.status());
    HttpServerResponse response = req.response();
    if (!response.ended() && !response.closed()) {
      answer.headers().forEach(response::putHeader);
      response.setStatusCode(answer.status()).end(answer.body());
    }
    exchange.end();
  }

  private void end(McpCall call) {
    streams.callEnded();
    chain.end(call);
    listener.onEnd(call);
  }

  private static McpCall call(
      HttpServerRequest req,
      String requestId,
      AgentConfig cfg,
      long start,
      McpEra era,
      ParseResult.Parsed parsed) {
    return new McpCall(
        requestId,
        req.method(),
        req.uri(),
        req.headers(),
        req.remoteAddress() == null ? null : req.remoteAddress().hostAddress(),
        cfg,
        start,
        era,
        parsed == null ? List.of() : parsed.messages(),
        parsed != null && parsed.batch(),
        req.response().headers());
  }

  /**
   * Refuses a session id that is not visible ASCII or longer than {@code edge.maxSessionIdBytes},
   * and more than one {@code Mcp-Session-Id} header (all of them would be forwarded, while the
   * agent binds and checks only one).
   */
  private static Rejection sessionIdCheck(HttpServerRequest req, EdgeConfig edge) {
    String problem =
        SessionIds.problem(req.headers().getAll(SessionIds.HEADER), edge.maxSessionIdBytes());
    if (problem == null) {
      return null;
    }
    return Rejection.of(
        ErrorCode.INVALID_REQUEST,
        problem.equals(SessionIds.DUPLICATE)
            ? "more than one Mcp-Session-Id header"
            : "Mcp-Session-Id must be 1 to "
                + edge.maxSessionIdBytes()
                + " visible ASCII characters",
        Map.of("reason", problem, "maxSessionIdBytes", edge.maxSessionIdBytes()));
  }

  private static Rejection tooLarge(EdgeConfig edge) {
    return Rejection.of(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "request body larger than " + edge.maxBodyBytes() + " bytes",
        Map.of("maxBodyBytes", edge.maxBodyBytes()));
  }

  private static boolean tooLong(String contentLength, long max) {
    try {
      return Long.parseLong(contentLength.trim()) > max;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
