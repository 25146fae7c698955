package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.mcpsidecar.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one call to the MCP server and relays the answer: JSON bodies byte for byte, event streams
 * as each chunk from the server completes events, both with backpressure (a slow client pauses the
 * server's stream instead of filling the agent's memory). Nothing here blocks.
 */
final class UpstreamExchange {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);

  /** JSON responses up to this size are also parsed (for telemetry) after they were relayed. */
  private static final int MAX_OBSERVED_JSON_BYTES = 1024 * 1024;

  /** An SSE event larger than this is relayed in pieces and not observed. */
  private static final int MAX_OBSERVED_EVENT_BYTES = 4 * 1024 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final HttpClient streamClient;
  private final CallListener listener;
  private final ActiveStreams streams;
  private final JsonRpcParser observer = new JsonRpcParser(10_000);

  /**
   * @param client the pool for calls
   * @param streamClient the pool for standalone GET streams, so that idle streams never hold the
   *     connections calls need
   */
  UpstreamExchange(
      Vertx vertx,
      HttpClient client,
      HttpClient streamClient,
      CallListener listener,
      ActiveStreams streams) {
    this.vertx = vertx;
    this.client = client;
    this.streamClient = streamClient;
    this.listener = listener;
    this.streams = streams;
  }

  /** The pool for standalone GET streams: one connection each, never cut for silence. */
  static HttpClient streamClient(Vertx vertx, int size) {
    return vertx.createHttpClient(
        new io.vertx.core.http.HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(60)
            .setIdleTimeout(0)
            .setTcpNoDelay(true)
            .setDecompressionSupported(false)
            .setMaxHeaderSize(64 * 1024),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(size));
  }

  /**
   * Forwards the call. {@code body} is the already read request body, or null when there is none.
   * The exchange ends exactly once, whoever gives up first: the client (at any point, including
   * while a pooled connection is awaited), the server, or a deadline.
   */
  void forward(HttpServerRequest req, McpCall call, Buffer body, Exchange exchange) {
    Runnable done = exchange::end;
    UpstreamConfig upstream = call.config().upstream();
    URI url = upstream.url();
    boolean standalone = req.method() == HttpMethod.GET;
    if (standalone) {
      if (!streams.tryReserveStandalone(upstream.streamConnections())) {
        refuseStream(req.response(), call, upstream.streamConnections());
        done.run();
        return;
      }
      exchange.atEnd(streams::releaseStandalone);
    }
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setHost(url.getHost())
            .setPort(url.getPort() == -1 ? (tls ? 443 : 80) : url.getPort())
            .setSsl(tls)
            .setURI(req.uri())
            .setConnectTimeout(upstream.connectTimeout().toMillis())
            .setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap());
    Headers.copyEndToEnd(req.headers(), options.getHeaders(), Set.of("host", "content-length"));
    addForwarding(req, call, options);
    listener.onUpstreamRequest(call, options.getHeaders());
    String firstId = firstRequestId(call);
    HttpServerResponse resp = req.response();
    // Until a connection is had there is nothing to cancel upstream: a client that leaves ends
    // the exchange at once, and the connection, when it comes, is given back unused.
    exchange.onClientGone(() -> {});

    (standalone ? streamClient : client)
        .request(options)
        .onFailure(
            err -> {
              if (exchange.ended()) {
                return;
              }
              LOG.atWarn()
                  .addKeyValue("requestId", call.requestId())
                  .addKeyValue("upstream", url.toString())
                  .log("upstream unreachable: {}", err.toString());
              fail(
                  resp,
                  call,
                  firstId,
                  ErrorCode.UPSTREAM_UNAVAILABLE,
                  "the MCP server is unreachable",
                  url);
              done.run();
            })
        .onSuccess(
            creq -> {
              if (exchange.ended()) {
                creq.reset();
                return;
              }
              send(req, call, call.upstreamBodyOr(body), creq, firstId, exchange);
            });
  }

  private void send(
      HttpServerRequest req,
      McpCall call,
      Buffer body,
      HttpClientRequest creq,
      String firstId,
      Exchange exchange) {
    Runnable done = exchange::end;
    HttpServerResponse resp = req.response();
    URI url = call.config().upstream().url();
    boolean[] timedOut = {false};
    // Only calls have a deadline. A GET opens a standalone stream, and a server may hold its
    // headers until it has something to say: no timer may cut it.
    boolean standalone = req.method() == HttpMethod.GET;
    long timer =
        standalone
            ? -1
            : vertx.setTimer(
                call.config().upstream().responseTimeout().toMillis(),
                t -> {
                  timedOut[0] = true;
                  creq.reset(0, new TimeoutException("response timeout"));
                  fail(
                      resp,
                      call,
                      firstId,
                      ErrorCode.UPSTREAM_TIMEOUT,
                      "the MCP server did not answer in time",
                      url);
                  done.run();
                });
    if (standalone) {
      var context = vertx.getOrCreateContext(); // this connection's event loop
      streams.addStandalone(
          resp,
          () ->
              context.runOnContext(
                  v -> {
                    if (!resp.headWritten()) {
                      fail(
                          resp,
                          call,
                          null,
                          ErrorCode.SHUTTING_DOWN,
                          "the agent is shutting down; reconnect",
                          url);
                    }
                    endQuietly(resp);
                    creq.reset();
                  }));
    }
    Runnable finished =
        () -> {
          if (standalone) {
            streams.removeStandalone(resp);
          }
          done.run();
        };
    resp.exceptionHandler(err -> creq.reset());
    // The client went away: mirror it upstream (in 2026-07-28 this is how a call is cancelled;
    // earlier eras treat a closed stream as a disconnect, not a cancel).
    exchange.onClientGone(
        () -> {
          cancel(timer);
          creq.reset();
          finished.run();
        });

    var sent = body != null ? creq.send(body) : creq.send();
    sent.onFailure(
            err -> {
              cancel(timer);
              if (!timedOut[0]) {
                LOG.atWarn()
                    .addKeyValue("requestId", call.requestId())
                    .log("upstream failed before answering: {}", err.toString());
                fail(
                    resp,
                    call,
                    firstId,
                    ErrorCode.UPSTREAM_UNAVAILABLE,
                    "the MCP server closed the connection without answering",
                    url);
              }
              finished.run();
            })
        .onSuccess(
            cresp -> {
              if (timedOut[0] || exchange.ended() || resp.closed()) {
                cancel(timer);
                cresp.request().reset();
                finished.run();
                return;
              }
              relay(req, call, cresp, timer, exchange, finished);
            });
  }

  private void relay(
      HttpServerRequest req,
      McpCall call,
      HttpClientResponse cresp,
      long timer,
      Exchange exchange,
      Runnable done) {
    HttpServerResponse resp = req.response();
    call.status(cresp.statusCode());
    resp.setStatusCode(cresp.statusCode());
    resp.setStatusMessage(cresp.statusMessage());
    Headers.copyEndToEnd(cresp.headers(), resp.headers(), Set.of());
    String contentType = cresp.getHeader("Content-Type");
    boolean eventStream =
        contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    if (eventStream) {
      cancel(timer); // a live stream has no deadline
      relayStream(req, call, cresp, exchange, done);
    } else {
      relayBody(req, call, cresp, timer, contentType, done);
    }
  }

  private void relayStream(
      HttpServerRequest req,
      McpCall call,
      HttpClientResponse cresp,
      Exchange exchange,
      Runnable done) {
    HttpServerResponse resp = req.response();
    resp.headers().remove("Content-Length");
    resp.setChunked(true);
    call.stream(true);
    streams.add(resp, req.method() == HttpMethod.GET);
    listener.onStream(call, 1);
    boolean[] ended = {false};
    Runnable closed =
        () -> {
          if (!ended[0]) {
            ended[0] = true;
            streams.remove(resp);
            listener.onStream(call, -1);
            done.run();
          }
        };
    exchange.onClientGone(
        () -> {
          cresp.request().reset();
          closed.run();
        });
    resp.writeHead();
    SseEventSplitter splitter =
        new SseEventSplitter(
            MAX_OBSERVED_EVENT_BYTES,
            new SseEventRelay(
                new EndpointRewriter(call.config().upstream().url()),
                observer,
                message -> {
                  call.recordResponse(message);
                  listener.onServerMessage(call, message);
                }));
    // One write per chunk from the server (every event it completed), not one per event: each
    // write is flushed to the socket on its own.
    cresp.handler(chunk -> relayEvents(call, resp, cresp, splitter.feed(chunk)));
    cresp.exceptionHandler(
        err -> {
          if (resp.closed() || resp.ended()) {
            // The client left first and the agent reset the server's stream: nothing failed.
            relayEvents(call, resp, cresp, splitter.finish());
            closed.run();
            return;
          }
          // The server went away mid-stream. End the client's stream cleanly: the client sees
          // the stream close and may resume with Last-Event-ID where the server supports it.
          call.upstreamFailure(err.toString());
          LOG.atWarn()
              .addKeyValue("requestId", call.requestId())
              .log("upstream stream failed: {}", err.toString());
          relayEvents(call, resp, cresp, splitter.finish());
          endQuietly(resp);
          closed.run();
        });
    cresp.endHandler(
        v -> {
          relayEvents(call, resp, cresp, splitter.finish());
          endQuietly(resp);
          closed.run();
        });
  }

  private static void relayEvents(
      McpCall call, HttpServerResponse resp, HttpClientResponse cresp, Buffer out) {
    if (out.length() > 0) {
      call.addBytesOut(out.length());
      write(resp, cresp, out);
    }
  }

  private void relayBody(
      HttpServerRequest req,
      McpCall call,
      HttpClientResponse cresp,
      long timer,
      String contentType,
      Runnable done) {
    HttpServerResponse resp = req.response();
    int status = cresp.statusCode();
    boolean bodyless =
        req.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
    if (!bodyless && cresp.getHeader("Content-Length") == null) {
      resp.setChunked(true);
    }
    boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
    Buffer observed = json ? Buffer.buffer() : null;
    boolean[] tooBig = {false};
    cresp.handler(
        chunk -> {
          if (observed != null && !tooBig[0]) {
            if (observed.length() + chunk.length() > MAX_OBSERVED_JSON_BYTES) {
              tooBig[0] = true;
            } else {
              observed.appendBuffer(chunk);
            }
          }
          call.addBytesOut(chunk.length());
          write(resp, cresp, chunk);
        });
    cresp.exceptionHandler(
        err -> {
          cancel(timer);
          call.upstreamFailure(err.toString());
          if (!resp.headWritten()) {
            fail(
                resp,
                call,
                firstRequestId(call),
                ErrorCode.UPSTREAM_UNAVAILABLE,
                "the MCP server failed while answering",
                call.config().upstream().url());
          } else {
            resp.reset();
          }
          done.run();
        });
    cresp.endHandler(
        v -> {
          cancel(timer);
          endQuietly(resp);
          if (observed != null && !tooBig[0] && observed.length() > 0) {
            observe(call, observed);
          }
          done.run();
        });
  }

  private static void write(HttpServerResponse resp, HttpClientResponse cresp, Buffer out) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    resp.write(out);
    if (resp.writeQueueFull()) {
      cresp.pause();
      resp.drainHandler(v -> cresp.resume());
    }
  }

  private void observe(McpCall call, Buffer data) {
    ParseResult parsed = observer.parse(data.getBytes());
    if (parsed instanceof ParseResult.Parsed messages) {
      for (JsonRpcMessage message : messages.messages()) {
        call.recordResponse(message);
        listener.onServerMessage(call, message);
      }
    }
  }

  private void cancel(long timer) {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  private static void endQuietly(HttpServerResponse resp) {
    if (!resp.ended() && !resp.closed()) {
      resp.end();
    }
  }

  private static void fail(
      HttpServerResponse resp, McpCall call, String id, ErrorCode code, String message, URI url) {
    call.rejectedWith(code);
    call.status(code.httpStatus());
    Responses.reject(
        resp,
        call.requestId(),
        id,
        Rejection.of(code, message, Map.of("upstream", url.getHost() + ":" + url.getPort())));
  }

  private static void refuseStream(HttpServerResponse resp, McpCall call, int limit) {
    call.rejectedWith(ErrorCode.STREAM_LIMITED);
    call.status(ErrorCode.STREAM_LIMITED.httpStatus());
    Responses.reject(
        resp,
        call.requestId(),
        null,
        new Rejection(
            ErrorCode.STREAM_LIMITED,
            "the agent's " + limit + " event streams are all open; keep using POST",
            Map.of("scope", "agent", "limit", limit),
            Map.of("Allow", "POST, DELETE")));
  }

  static String firstRequestId(McpCall call) {
    for (JsonRpcMessage message : call.messages()) {
      if (message.id() != null && message.isRequest()) {
        return message.id();
      }
    }
    return null;
  }

  private static void addForwarding(HttpServerRequest req, McpCall call, RequestOptions options) {
    String client = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
    String host = req.authority() == null ? null : req.authority().toString();
    String proto = req.isSSL() ? "https" : "http";
    String node =
        "for="
            + Headers.forwardedNode(client)
            + ";host="
            + Headers.forwardedNode(host)
            + ";proto="
            + proto;
    var headers = options.getHeaders();
    String forwarded = req.getHeader("Forwarded");
    headers.set("Forwarded", forwarded == null ? node : forwarded + ", " + node);
    String xff = req.getHeader("X-Forwarded-For");
    if (client != null) {
      headers.set("X-Forwarded-For", xff == null ? client : xff + ", " + client);
    }
    if (host != null && req.getHeader("X-Forwarded-Host") == null) {
      headers.set("X-Forwarded-Host", host);
    }
    if (req.getHeader("X-Forwarded-Proto") == null) {
      headers.set("X-Forwarded-Proto", proto);
    }
    headers.set(RequestIds.HEADER, call.requestId());
  }
}
