package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.EraDetector;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MCP endpoint: the edge checks of the request head, body reading and parsing, then the
 * pipeline, whose outcome it writes. Every path ends in exactly one call to {@link #end}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

  private final Supplier<AgentConfig> config;
  private final Pipeline pipeline;
  private final EdgeStage edge;
  private final CallListener listener;
  private final ActiveStreams streams;
  private final Vertx vertx;
  private final ListenerGuard guard;

  ProxyHandler(
      Vertx vertx,
      ListenerGuard guard,
      Supplier<AgentConfig> config,
      Pipeline pipeline,
      EdgeStage edge,
      CallListener listener,
      ActiveStreams streams) {
    this.vertx = vertx;
    this.guard = guard;
    this.config = config;
    this.pipeline = pipeline;
    this.edge = edge;
    this.listener = listener;
    this.streams = streams;
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
    Rejection early = edge.beforeBody(req, cfg);
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
    Rejection rejection = refused == null ? EdgeStage.tooLarge(cfg.edge()) : refused;
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
    call.bytesIn(body.length());
    call.body(body);
    proceed(req, exchange, body);
  }

  private void proceed(HttpServerRequest req, Exchange exchange, Buffer body) {
    McpCall call = exchange.call();
    call.request = req;
    call.exchange = exchange;
    call.forwardBody = body;
    exchange.deciding();
    pipeline
        .run(call)
        .onComplete(
            done -> {
              Outcome outcome = done.result();
              if (!exchange.decided()) {
                return; // the client left; an answer not written is reset at the end
              }
              write(req, exchange, call, outcome);
            });
  }

  /** Writes the pipeline's outcome: the one place a call's answer is chosen. */
  private void write(HttpServerRequest req, Exchange exchange, McpCall call, Outcome outcome) {
    HeldStream held = call.held();
    if (held != null) {
      writeHeld(req, exchange, call, held, outcome);
    } else if (outcome instanceof Outcome.Relayed relayed) {
      relayed.relay.start();
    } else if (outcome instanceof Outcome.Refused refused) {
      reject(req, exchange, refused.echoId() ? call.firstRequestId() : null, refused.rejection());
    } else {
      respond(req, exchange, (Outcome.Answered) outcome);
    }
  }

  /** A stage held the call open as an event stream: its outcome goes into that stream. */
  private void writeHeld(
      HttpServerRequest req, Exchange exchange, McpCall call, HeldStream held, Outcome outcome) {
    if (outcome instanceof Outcome.Relayed relayed) {
      relayed.relay.startHeld(held);
      return;
    }
    if (outcome instanceof Outcome.Refused refused) {
      call.rejectedWith(refused.rejection().code());
      held.send(
          Responses.body(
              call.requestId(),
              refused.echoId() ? call.firstRequestId() : null,
              refused.rejection()));
    } else {
      held.send(((Outcome.Answered) outcome).body().toString());
    }
    UpstreamRelay.endQuietly(req.response());
    exchange.end();
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

  private void respond(HttpServerRequest req, Exchange exchange, Outcome.Answered answer) {
    McpCall call = exchange.call();
    call.status(answer.status());
    recordOwnAnswers(call, answer);
    Buffer body = answer.body();
    String type = answer.headers().get("Content-Type");
    if (!call.answerRewrites().isEmpty()
        && type != null
        && type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      body = JsonRelay.rewritten(call, body);
    }
    HttpServerResponse response = req.response();
    if (!response.ended() && !response.closed()) {
      answer.headers().forEach(response::putHeader);
      if (body != answer.body()) {
        response.headers().remove("Content-Length");
      }
      response.setStatusCode(answer.status()).end(body);
    }
    exchange.end();
  }

  /**
   * A JSON-RPC answer the agent gave itself (a stage answering calls without the server: a tool
   * result with {@code isError} for a down dependency, a stale list while the circuit is open) is
   * recorded like the server's, so that metrics and the access log see a tool error or a result
   * rather than a call left unanswered.
   */
  private static void recordOwnAnswers(McpCall call, Outcome.Answered answer) {
    String type = answer.headers().get("Content-Type");
    if (call.firstRequestId() == null
        || type == null
        || !type.toLowerCase(java.util.Locale.ROOT).contains("json")
        || answer.body().length() > JsonRelay.MAX_OBSERVED_JSON_BYTES) {
      return;
    }
    ParseResult parsed =
        new JsonRpcParser(Math.max(1, call.config().edge().maxBatchSize()))
            .parse(answer.body().getBytes());
    if (parsed instanceof ParseResult.Parsed messages) {
      messages.messages().forEach(call::recordResponse);
    }
  }

  private void end(McpCall call) {
    streams.callEnded();
    pipeline.end(call);
    listener.onEnd(call);
  }

  private static McpCall call(
      HttpServerRequest req,
      String requestId,
      AgentConfig cfg,
      long start,
      McpEra era,
      ParseResult.Parsed parsed) {
    return McpCall.builder(requestId, cfg)
        .method(req.method())
        .uri(req.uri())
        .headers(req.headers())
        .remoteAddress(req.remoteAddress() == null ? null : req.remoteAddress().hostAddress())
        .startNanos(start)
        .era(era)
        .messages(parsed == null ? List.of() : parsed.messages(), parsed != null && parsed.batch())
        .responseHeaders(req.response().headers())
        .build();
  }
}
