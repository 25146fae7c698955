package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.ParseResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;

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
    cresp.exceptionHandler(
        err -> {
          relay.cancelTimer();
          call.upstreamFailure(err.toString());
          if (!resp.headWritten()) {
            relay.writeFailure(UpstreamFailure.BROKE_OFF);
          } else {
            resp.reset();
          }
          exchange.end();
        });
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
}
