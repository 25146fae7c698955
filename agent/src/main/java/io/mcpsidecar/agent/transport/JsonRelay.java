package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Relays a server's non-stream answer byte for byte, chunk by chunk, with backpressure; a JSON
 * answer up to {@value #MAX_OBSERVED_JSON_BYTES} bytes is also parsed once relayed, so that
 * listeners see the server's messages.
 */
final class JsonRelay {

  /** JSON responses up to this size are also parsed (for telemetry) after they were relayed. */
  static final int MAX_OBSERVED_JSON_BYTES = 1024 * 1024;

  private final UpstreamStage stage;
  private final McpCall call;
  private final HttpClientResponse cresp;
  private final HttpServerResponse resp;
  private final UpstreamRelay relay;

  JsonRelay(
      UpstreamStage stage,
      McpCall call,
      HttpClientResponse cresp,
      HttpServerResponse resp,
      UpstreamRelay relay) {
    this.stage = stage;
    this.call = call;
    this.cresp = cresp;
    this.resp = resp;
    this.relay = relay;
  }

  void start(String contentType) {
    Exchange exchange = call.exchange;
    int status = cresp.statusCode();
    boolean bodyless =
        call.httpMethod() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
    if (!bodyless && cresp.getHeader("Content-Length") == null) {
      resp.setChunked(true);
    }
    // The client went away: mirror it upstream (in 2026-07-28 this is how a call is cancelled;
    // earlier eras treat a closed stream as a disconnect, not a cancel).
    exchange.onClientGone(
        () -> {
          relay.cancelTimer();
          cresp.request().reset();
          exchange.end();
        });
    boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
    if (!call.answerRewrites().isEmpty() && (json || status == 202 || status == 204)) {
      startRewritten(exchange);
      return;
    }
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
          UpstreamRelay.write(resp, cresp, chunk);
        });
    cresp.exceptionHandler(err -> brokeOff(err, exchange));
    cresp.endHandler(
        v -> {
          relay.cancelTimer();
          UpstreamRelay.endQuietly(resp);
          if (observed != null && !tooBig[0] && observed.length() > 0) {
            observe(observed);
          }
          exchange.end();
        });
  }

  /** Keeps the text of a result answering the call's first request, when the call asked. */
  static void keepAnswer(McpCall call, JsonRpcMessage message, String text) {
    if (message.kind() == io.mcpsidecar.agent.mcp.MessageKind.RESPONSE
        && message.errorCode() == null
        && message.id() != null
        && message.id().equals(call.firstRequestId())) {
      call.answerText(text);
    }
  }

  private void observe(Buffer data) {
    ParseResult parsed = stage.observer().parse(data.getBytes());
    if (parsed instanceof ParseResult.Parsed messages) {
      for (JsonRpcMessage message : messages.messages()) {
        call.recordResponse(message);
        stage.listener().onServerMessage(call, message);
      }
      if (call.keepsAnswer() && messages.messages().size() == 1) {
        keepAnswer(call, messages.messages().get(0), data.toString());
      }
    }
  }

  /**
   * The answer of a call with {@link AnswerRewrite}s: held whole (bounded), rewritten, then written
   * with its own Content-Length. Larger than the bound: not relayed (fail closed).
   */
  private void startRewritten(Exchange exchange) {
    resp.setChunked(false);
    Buffer held = Buffer.buffer();
    boolean[] tooBig = {false};
    cresp.handler(
        chunk -> {
          if (tooBig[0]) {
            return;
          }
          if (held.length() + chunk.length() > MAX_OBSERVED_JSON_BYTES) {
            tooBig[0] = true;
            relay.cancelTimer();
            cresp.request().reset();
            resp.headers().remove("Content-Length");
            call.rejectedWith(ErrorCode.INTERNAL);
            call.status(ErrorCode.INTERNAL.httpStatus());
            Responses.reject(
                resp,
                call.requestId(),
                call.firstRequestId(),
                Rejection.of(
                    ErrorCode.INTERNAL,
                    "the server's answer is too large for the agent to filter",
                    Map.of("reason", "answer_too_large", "maxBytes", MAX_OBSERVED_JSON_BYTES)));
            exchange.end();
            return;
          }
          held.appendBuffer(chunk);
        });
    cresp.exceptionHandler(err -> brokeOff(err, exchange));
    cresp.endHandler(
        v -> {
          relay.cancelTimer();
          if (tooBig[0]) {
            return;
          }
          if (held.length() > 0) {
            observe(held); // the server's own answers, as it sent them
          }
          Buffer out = rewritten(held);
          if (out != held) {
            resp.headers().remove("Content-Length");
            resp.putHeader("Content-Type", "application/json");
            if (resp.getStatusCode() == 202 || resp.getStatusCode() == 204) {
              resp.setStatusCode(200);
              call.status(200);
            }
          }
          call.addBytesOut(out.length());
          if (!resp.ended() && !resp.closed()) {
            resp.end(out);
          }
          exchange.end();
        });
  }

  /** The server's answer broke off: a 502 if nothing was written yet, else a reset. */
  private void brokeOff(Throwable err, Exchange exchange) {
    relay.cancelTimer();
    call.upstreamFailure(err.toString());
    if (!resp.headWritten()) {
      relay.writeFailure(UpstreamFailure.BROKE_OFF);
    } else {
      resp.reset();
    }
    exchange.end();
  }

  private Buffer rewritten(Buffer held) {
    return rewritten(call, held);
  }

  /**
   * {@code held}, a whole JSON answer to {@code call}, through the call's {@link AnswerRewrite}s
   * (itself when none changes it): for the server's answers and for a later stage's own answers
   * alike (a stale list, a dependency's fail-fast answer), so that what the policy hides stays
   * hidden and a split batch's refused requests are answered whoever answers the rest.
   */
  static Buffer rewritten(McpCall call, Buffer held) {
    String text = held.toString(StandardCharsets.UTF_8);
    String original = text;
    List<String> extra = new ArrayList<>();
    for (AnswerRewrite rewrite : call.answerRewrites()) {
      if (!text.isBlank()) {
        text = rewrite.rewrite(text);
      }
      extra.addAll(rewrite.extraMessages());
    }
    if (!extra.isEmpty()) {
      text = merged(text, extra);
    }
    return text.equals(original) ? held : Buffer.buffer(text);
  }

  /** The answer with the agent's messages added: one JSON array holding all of them. */
  static String merged(String answer, List<String> extra) {
    String trimmed = answer.strip();
    StringBuilder out = new StringBuilder(trimmed.length() + 256).append('[');
    if (trimmed.startsWith("[")) {
      String inner = trimmed.substring(1, trimmed.length() - 1).strip();
      out.append(inner);
      if (!inner.isEmpty()) {
        out.append(',');
      }
    } else if (!trimmed.isEmpty()) {
      out.append(trimmed).append(',');
    }
    out.append(String.join(",", extra)).append(']');
    return out.toString();
  }
}
