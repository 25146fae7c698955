package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.config.ListenConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads one request body into memory within its bounds: at most {@code maxBodyBytes}, within the
 * listener's share of request-body bytes ({@link ListenerGuard}), and by a deadline that each
 * {@code minBodyRate} bytes received push back by a second (a body must keep coming at that rate on
 * average, after a grace of {@code bodyTimeout}). The bytes stay reserved until the exchange ends:
 * the call keeps its body until then.
 */
final class BodyReader {

  private final Vertx vertx;
  private final HttpServerRequest req;
  private final Exchange exchange;
  private final ListenerGuard guard;
  private final long maxBytes;
  private final Handler<Buffer> onBody;
  private final Handler<Rejection> onRefused;
  private final long startNanos = System.nanoTime();
  private final Buffer body = Buffer.buffer();
  private long reserved;
  private long timer = -1;
  private boolean done;

  private BodyReader(
      Vertx vertx,
      HttpServerRequest req,
      Exchange exchange,
      ListenerGuard guard,
      long maxBytes,
      Handler<Buffer> onBody,
      Handler<Rejection> onRefused) {
    this.vertx = vertx;
    this.req = req;
    this.exchange = exchange;
    this.guard = guard;
    this.maxBytes = maxBytes;
    this.onBody = onBody;
    this.onRefused = onRefused;
  }

  /**
   * Reads the body of {@code req}; exactly one of {@code onBody} and {@code onRefused} runs, unless
   * the client leaves first. Must be called before the request's first chunk can arrive.
   */
  static void read(
      Vertx vertx,
      HttpServerRequest req,
      Exchange exchange,
      ListenerGuard guard,
      long maxBytes,
      Handler<Buffer> onBody,
      Handler<Rejection> onRefused) {
    new BodyReader(vertx, req, exchange, guard, maxBytes, onBody, onRefused).start();
  }

  private void start() {
    exchange.atEnd(
        () -> {
          cancelTimer();
          guard.release(reserved);
          reserved = 0;
        });
    long declared = declaredLength(req.getHeader("Content-Length"));
    if (!guard.fits(Math.max(declared, 1))) {
      refuse(overloaded());
      return;
    }
    schedule(guard.config().bodyTimeout().toMillis());
    req.handler(this::chunk);
    req.exceptionHandler(
        err -> {
          if (!done) {
            done = true;
            cancelTimer();
            req.response().reset();
            exchange.clientLeft();
          }
        });
    req.endHandler(
        v -> {
          if (!done) {
            done = true;
            cancelTimer();
            onBody.handle(body);
          }
        });
  }

  private void chunk(Buffer chunk) {
    if (done) {
      return;
    }
    if (body.length() + (long) chunk.length() > maxBytes) {
      refuse(null);
      return;
    }
    if (!guard.tryBuffer(chunk.length())) {
      refuse(overloaded());
      return;
    }
    reserved += chunk.length();
    body.appendBuffer(chunk);
  }

  /** Refuses the rest of the body: {@code null} means too large. */
  private void refuse(Rejection rejection) {
    done = true;
    cancelTimer();
    onRefused.handle(rejection);
  }

  private void schedule(long millis) {
    timer = vertx.setTimer(Math.max(1, millis), t -> expired());
  }

  private void expired() {
    timer = -1;
    if (done || exchange.ended()) {
      return;
    }
    ListenConfig listen = guard.config();
    long allowedMillis =
        listen.bodyTimeout().toMillis() + body.length() * 1000L / listen.minBodyRate();
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    if (elapsedMillis < allowedMillis) {
      schedule(allowedMillis - elapsedMillis);
      return;
    }
    guard.timedOut(ListenerGuard.Phase.BODY);
    refuse(
        Rejection.of(
            ErrorCode.REQUEST_TIMEOUT,
            "the request body did not arrive in time",
            Map.of(
                "bodyTimeoutMs",
                listen.bodyTimeout().toMillis(),
                "minBodyRate",
                listen.minBodyRate(),
                "receivedBytes",
                body.length())));
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private Rejection overloaded() {
    return new Rejection(
        ErrorCode.OVERLOADED,
        "the agent holds too many request bodies at once; retry",
        Map.of(
            "reason",
            "buffered_bytes",
            "retryAfterMs",
            1000,
            "maxBufferedBytes",
            guard.config().maxBufferedBytes()),
        Map.of("Retry-After", "1"));
  }

  private static long declaredLength(String contentLength) {
    if (contentLength == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(contentLength.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
