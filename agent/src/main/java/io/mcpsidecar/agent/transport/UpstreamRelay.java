package io.mcpsidecar.agent.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call to the MCP server, from the connection to the end of the relay: the future outcome
 * completes with the answer's head (or a failure's refusal), and {@link #start} relays the body
 * when that outcome is written. The call has a deadline ({@code upstream.responseTimeout}) that
 * ends with its JSON body, or when an event stream begins; a standalone GET stream has none.
 * Whoever gives up first wins, exactly once: the client, the server, the deadline or a shutdown.
 */
final class UpstreamRelay {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamRelay.class);

  private final UpstreamStage stage;
  private final McpCall call;
  private final Exchange exchange;
  private final HttpServerResponse resp;
  private final boolean standalone;
  private final Promise<Outcome> head = Promise.promise();
  private HttpClientRequest creq;
  private HttpClientResponse cresp;
  private long timer = -1;
  private boolean started;
  private boolean discarded;

  /** What happened between the answer's head and the start of the relay. */
  private UpstreamFailure pending;

  UpstreamRelay(UpstreamStage stage, McpCall call, boolean standalone) {
    this.stage = stage;
    this.call = call;
    this.exchange = call.exchange;
    this.resp = call.request.response();
    this.standalone = standalone;
  }

  Future<Outcome> send(HttpClient client, RequestOptions options) {
    // Until a connection is had there is nothing to cancel upstream: a client that leaves ends
    // the call at once, and the connection, when it comes, is given back unused.
    exchange.onClientGone(this::clientGone);
    exchange.atEnd(this::discard);
    client
        .request(options)
        .onComplete(
            connected -> {
              if (connected.failed()) {
                if (!head.future().isComplete()) {
                  LOG.atWarn()
                      .addKeyValue("requestId", call.requestId())
                      .addKeyValue("upstream", call.config().upstream().url().toString())
                      .log("upstream unreachable: {}", connected.cause().toString());
                  fail(UpstreamFailure.UNREACHABLE);
                }
                return;
              }
              creq = connected.result();
              if (head.future().isComplete() || exchange.ended()) {
                creq.reset();
                return;
              }
              send();
            });
    return head.future();
  }

  private void send() {
    if (!standalone) {
      timer = stage.vertx().setTimer(UpstreamDeadline.of(call).toMillis(), t -> onTimeout());
    } else {
      var context = stage.vertx().getOrCreateContext(); // this connection's event loop
      stage.streams().addStandalone(resp, () -> context.runOnContext(v -> drained()));
      exchange.atEnd(() -> stage.streams().removeStandalone(resp));
    }
    resp.exceptionHandler(err -> creq.reset());
    Buffer body = call.upstreamBodyOr(call.forwardBody);
    Future<HttpClientResponse> sent = body != null ? creq.send(body) : creq.send();
    sent.onComplete(
        answered -> {
          if (answered.failed()) {
            cancelTimer();
            if (!head.future().isComplete()) {
              LOG.atWarn()
                  .addKeyValue("requestId", call.requestId())
                  .log("upstream failed before answering: {}", answered.cause().toString());
              fail(UpstreamFailure.CLOSED);
            }
            return;
          }
          HttpClientResponse response = answered.result();
          if (head.future().isComplete() || exchange.ended() || resp.closed()) {
            cancelTimer();
            response.request().reset();
            return;
          }
          cresp = response;
          response.pause(); // nothing is read until the outcome is written
          String contentType = response.getHeader("Content-Type");
          boolean eventStream =
              contentType != null
                  && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
          if (eventStream) {
            cancelTimer(); // a live stream has no deadline
          }
          head.complete(
              new Outcome.Relayed(response.statusCode(), response.headers(), eventStream, this));
        });
  }

  /** Before the relay starts, the client leaving cancels the call upstream. */
  private void clientGone() {
    cancelTimer();
    if (creq != null) {
      creq.reset();
    }
    head.tryFail(Pipeline.ClientGone.INSTANCE);
  }

  private void onTimeout() {
    timer = -1;
    // Decided before the reset, whose failure the send's handler hears at once.
    if (!head.future().isComplete()) {
      fail(UpstreamFailure.TIMEOUT);
      creq.reset(0, new TimeoutException("response timeout"));
    } else if (!started) {
      pending = UpstreamFailure.TIMEOUT;
      creq.reset(0, new TimeoutException("response timeout"));
    } else {
      writeFailure(UpstreamFailure.TIMEOUT); // the JSON body did not end in time
      creq.reset(0, new TimeoutException("response timeout"));
      exchange.end();
    }
  }

  /** The agent is shutting down: a standalone stream ends, or is refused if not begun. */
  private void drained() {
    if (!head.future().isComplete()) {
      fail(UpstreamFailure.DRAINING);
      if (creq != null) {
        creq.reset();
      }
    } else if (!started) {
      pending = UpstreamFailure.DRAINING;
    } else {
      endQuietly(resp);
      creq.reset();
    }
  }

  private void fail(UpstreamFailure failure) {
    if (!head.future().isComplete()) {
      call.put(UpstreamStage.FAILURE, failure.label());
    }
    head.tryComplete(Outcome.refused(failure.rejection(call.config().upstream().url())));
  }

  /** Relays the answer this relay's outcome announced; called when that outcome is written. */
  void start() {
    started = true;
    if (pending != null) {
      cresp.request().reset();
      writeFailure(pending);
      exchange.end();
      return;
    }
    call.status(cresp.statusCode());
    resp.setStatusCode(cresp.statusCode());
    resp.setStatusMessage(cresp.statusMessage());
    Headers.copyEndToEnd(cresp.headers(), resp.headers(), Set.of());
    String contentType = cresp.getHeader("Content-Type");
    boolean eventStream =
        contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    if (eventStream) {
      new SseRelay(stage, call, cresp, resp).start();
    } else {
      new JsonRelay(stage, call, cresp, resp, this).start(contentType);
    }
    cresp.resume();
  }

  /** A JSON answer relayed into a held stream is held whole up to this size, then reset. */
  static final int MAX_HELD_JSON_BYTES = 16 * 1024 * 1024;

  /**
   * Relays the answer into the event stream a stage held open: events of an event stream as they
   * come, a JSON answer as one event once whole (an event cannot be sent in pieces).
   */
  void startHeld(HeldStream held) {
    started = true;
    if (pending != null) {
      cresp.request().reset();
      held.send(
          Responses.body(
              call.requestId(),
              call.firstRequestId(),
              pending.rejection(call.config().upstream().url())));
      endQuietly(resp);
      exchange.end();
      return;
    }
    call.status(200);
    String contentType = cresp.getHeader("Content-Type");
    boolean eventStream =
        contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    if (eventStream) {
      new SseRelay(stage, call, cresp, resp).start();
      cresp.resume();
      return;
    }
    exchange.onClientGone(
        () -> {
          cancelTimer();
          cresp.request().reset();
          exchange.end();
        });
    Buffer whole = Buffer.buffer();
    cresp.handler(
        chunk -> {
          if (whole.length() + chunk.length() > MAX_HELD_JSON_BYTES) {
            cancelTimer();
            cresp.request().reset();
            resp.reset();
            exchange.end();
            return;
          }
          whole.appendBuffer(chunk);
        });
    cresp.exceptionHandler(
        err -> {
          cancelTimer();
          call.upstreamFailure(err.toString());
          resp.reset();
          exchange.end();
        });
    cresp.endHandler(
        v -> {
          cancelTimer();
          if (whole.length() > 0) {
            held.send(whole.toString(java.nio.charset.StandardCharsets.UTF_8));
          }
          endQuietly(resp);
          exchange.end();
        });
    cresp.resume();
  }

  /** The answer is not written (another outcome was, or the client left): reset it upstream. */
  private void discard() {
    if (started || discarded) {
      return;
    }
    discarded = true;
    cancelTimer();
    if (cresp != null) {
      cresp.request().reset();
    } else if (creq != null) {
      creq.reset();
    }
  }

  void cancelTimer() {
    if (timer != -1) {
      stage.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  /** Answers with the failure's refusal, or resets the response if its head was written. */
  void writeFailure(UpstreamFailure failure) {
    call.put(UpstreamStage.FAILURE, failure.label());
    call.rejectedWith(failure.rejection(call.config().upstream().url()).code());
    call.status(call.rejectedWith().httpStatus());
    Responses.reject(
        resp,
        call.requestId(),
        call.firstRequestId(),
        failure.rejection(call.config().upstream().url()));
  }

  static void endQuietly(HttpServerResponse resp) {
    if (!resp.ended() && !resp.closed()) {
      resp.end();
    }
  }

  static void write(HttpServerResponse resp, HttpClientResponse cresp, Buffer out) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    resp.write(out);
    if (resp.writeQueueFull()) {
      cresp.pause();
      resp.drainHandler(v -> cresp.resume());
    }
  }
}
