package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.EraDetector;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.agent.mcp.RoutingHeaders;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.EdgeConfig;
import io.vertx.core.Handler;
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

  ProxyHandler(
      Supplier<AgentConfig> config,
      InterceptorChain chain,
      UpstreamExchange upstream,
      CallListener listener,
      ActiveStreams streams,
      BooleanSupplier draining) {
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
    AgentConfig cfg = config.get(); // the snapshot this call keeps until it ends
    String requestId = RequestIds.of(req.getHeader(RequestIds.HEADER));
    req.response().putHeader(RequestIds.HEADER, requestId);
    streams.callStarted();
    if (req.method() != HttpMethod.POST) {
      req.pause(); // the body (if any) is streamed to the server once it is connected
    }
    Rejection early = edgeCheck(req, cfg);
    if (early != null) {
      if (req.method() == HttpMethod.POST) {
        req.response().putHeader("Connection", "close"); // the unread body must not be parsed
      }
      McpCall call = call(req, requestId, cfg, start, McpEra.DEFAULT, null);
      reject(req, call, null, early);
      return;
    }
    if (req.method() == HttpMethod.POST) {
      readBody(req, requestId, cfg, start);
    } else {
      McpCall call =
          call(req, requestId, cfg, start, McpEra.of(req.getHeader("MCP-Protocol-Version")), null);
      proceed(req, call, null);
    }
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

  private void readBody(HttpServerRequest req, String requestId, AgentConfig cfg, long start) {
    long max = cfg.edge().maxBodyBytes();
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(
        chunk -> {
          if (over[0]) {
            return;
          }
          if (body.length() + (long) chunk.length() > max) {
            over[0] = true;
            req.response().putHeader("Connection", "close");
            McpCall call = call(req, requestId, cfg, start, McpEra.DEFAULT, null);
            reject(req, call, null, tooLarge(cfg.edge()));
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(err -> req.response().reset());
    req.endHandler(
        v -> {
          if (!over[0]) {
            onBody(req, requestId, cfg, start, body);
          }
        });
  }

  private void onBody(
      HttpServerRequest req, String requestId, AgentConfig cfg, long start, Buffer body) {
    ParseResult result = new JsonRpcParser(cfg.edge().maxBatchSize()).parse(body.getBytes());
    if (result instanceof ParseResult.Malformed malformed) {
      McpCall call = call(req, requestId, cfg, start, McpEra.DEFAULT, null);
      reject(
          req,
          call,
          null,
          Rejection.of(ErrorCode.PARSE_ERROR, "Parse error", Map.of("reason", malformed.reason())));
      return;
    }
    if (result instanceof ParseResult.Invalid invalid) {
      McpCall call = call(req, requestId, cfg, start, McpEra.DEFAULT, null);
      reject(
          req,
          call,
          invalid.id(),
          Rejection.of(
              ErrorCode.INVALID_REQUEST, "Invalid Request", Map.of("reason", invalid.reason())));
      return;
    }
    ParseResult.Parsed parsed = (ParseResult.Parsed) result;
    McpEra era = EraDetector.detect(req.getHeader("MCP-Protocol-Version"), parsed);
    McpCall call = call(req, requestId, cfg, start, era, parsed);
    String firstId = UpstreamExchange.firstRequestId(call);
    Rejection session = sessionIdCheck(req, cfg.edge());
    if (session != null) {
      reject(req, call, firstId, session);
      return;
    }
    if (parsed.batch() && !era.allowsBatches()) {
      reject(
          req,
          call,
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
            call,
            firstId,
            Rejection.of(ErrorCode.HEADER_MISMATCH, mismatch, Map.of("reason", mismatch)));
        return;
      }
    }
    call.bytesIn(body.length());
    call.body(body);
    proceed(req, call, body);
  }

  private void proceed(HttpServerRequest req, McpCall call, Buffer body) {
    Runnable done = once(() -> end(call));
    chain
        .run(call)
        .onComplete(
            decided -> {
              Verdict verdict = decided.result();
              if (verdict instanceof Verdict.Reject rejected) {
                reject(req, call, UpstreamExchange.firstRequestId(call), rejected.rejection());
                return;
              }
              if (verdict instanceof Verdict.Respond answer) {
                respond(req, call, answer);
                return;
              }
              if (req.response().closed()) {
                done.run();
                return;
              }
              upstream.forward(req, call, body, done);
            });
  }

  private void reject(HttpServerRequest req, McpCall call, String id, Rejection rejection) {
    call.rejectedWith(rejection.code());
    call.status(rejection.code().httpStatus());
    HttpServerResponse response = req.response();
    Responses.reject(response, call.requestId(), id, rejection);
    end(call);
  }

  private void respond(HttpServerRequest req, McpCall call, Verdict.Respond answer) {
    call.status(answer.status());
    HttpServerResponse response = req.response();
    if (req.method() != HttpMethod.POST) {
      req.resume(); // a body the server would have streamed is discarded
    }
    if (!response.ended() && !response.closed()) {
      answer.headers().forEach(response::putHeader);
      response.setStatusCode(answer.status()).end(answer.body());
    }
    end(call);
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

  private static Runnable once(Runnable action) {
    boolean[] ran = {false};
    return () -> {
      if (!ran[0]) {
        ran[0] = true;
        action.run();
      }
    };
  }
}
