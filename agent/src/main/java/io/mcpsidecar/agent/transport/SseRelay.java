package io.mcpsidecar.agent.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a server-sent event stream as each chunk from the server completes events: one write per
 * chunk, with backpressure (a slow client pauses the server's stream instead of filling the agent's
 * memory); events up to {@value #MAX_OBSERVED_EVENT_BYTES} bytes are observed, so that the call
 * keeps its answers and listeners see the server's messages.
 */
final class SseRelay {

  private static final Logger LOG = LoggerFactory.getLogger(SseRelay.class);

  /** An SSE event larger than this is relayed in pieces and not observed. */
  static final int MAX_OBSERVED_EVENT_BYTES = 4 * 1024 * 1024;

  private final UpstreamStage stage;
  private final McpCall call;
  private final HttpClientResponse cresp;
  private final HttpServerResponse resp;
  private boolean closed;

  SseRelay(UpstreamStage stage, McpCall call, HttpClientResponse cresp, HttpServerResponse resp) {
    this.stage = stage;
    this.call = call;
    this.cresp = cresp;
    this.resp = resp;
  }

  void start() {
    if (!resp.headWritten()) {
      resp.headers().remove("Content-Length");
      resp.setChunked(true);
    }
    call.stream(true);
    stage.streams().add(resp, call.httpMethod() == HttpMethod.GET);
    stage.listener().onStream(call, 1);
    call.exchange.onClientGone(
        () -> {
          cresp.request().reset();
          close();
        });
    if (!resp.headWritten()) {
      resp.writeHead();
    }
    SseEventRelay relayed =
        new SseEventRelay(
            new EndpointRewriter(call.config().upstream().url()),
            stage.observer(),
            message -> {
              call.recordResponse(message);
              stage.listener().onServerMessage(call, message);
            });
    if (call.keepsAnswer()) {
      relayed.keepText((message, text) -> JsonRelay.keepAnswer(call, message, text));
    }
    SseEventSplitter.EventHandler events = relayed;
    List<AnswerRewrite> rewrites = call.answerRewrites();
    if (!rewrites.isEmpty()) {
      for (AnswerRewrite rewrite : rewrites) {
        for (String message : rewrite.extraMessages()) {
          relay(SseEvents.message(message));
        }
      }
      SseEventSplitter.EventHandler observed = events;
      events = raw -> SseEvents.rewrite(observed.onEvent(raw), rewrites);
    }
    SseEventSplitter splitter = new SseEventSplitter(MAX_OBSERVED_EVENT_BYTES, events);
    // One write per chunk from the server (every event it completed), not one per event: each
    // write is flushed to the socket on its own.
    cresp.handler(
        chunk -> {
          Buffer out = splitter.feed(chunk);
          if (!rewrites.isEmpty() && splitter.passingOversized()) {
            // An event too large to hold cannot be rewritten (a list to filter): end the stream
            // rather than relay it unfiltered.
            LOG.atWarn()
                .addKeyValue("requestId", call.requestId())
                .log(
                    "event too large to filter ({} bytes at most); stream ended",
                    MAX_OBSERVED_EVENT_BYTES);
            call.upstreamFailure("event too large to filter");
            cresp.request().reset();
            UpstreamRelay.endQuietly(resp);
            close();
            return;
          }
          relay(out);
        });
    cresp.exceptionHandler(
        err -> {
          if (resp.closed() || resp.ended()) {
            // The client left first and the agent reset the server's stream: nothing failed.
            relay(rest(splitter, rewrites));
            close();
            return;
          }
          // The server went away mid-stream. End the client's stream cleanly: the client sees
          // the stream close and may resume with Last-Event-ID where the server supports it.
          call.upstreamFailure(err.toString());
          LOG.atWarn()
              .addKeyValue("requestId", call.requestId())
              .log("upstream stream failed: {}", err.toString());
          relay(rest(splitter, rewrites));
          UpstreamRelay.endQuietly(resp);
          close();
        });
    cresp.endHandler(
        v -> {
          relay(rest(splitter, rewrites));
          UpstreamRelay.endQuietly(resp);
          close();
        });
  }

  // The stream's last event may lack its blank line: rewrite it like any other.
  private static Buffer rest(SseEventSplitter splitter, List<AnswerRewrite> rewrites) {
    Buffer rest = splitter.finish();
    return rewrites.isEmpty() ? rest : SseEvents.rewrite(rest, rewrites);
  }

  private void relay(Buffer out) {
    if (out.length() > 0) {
      call.addBytesOut(out.length());
      UpstreamRelay.write(resp, cresp, out);
    }
  }

  private void close() {
    if (!closed) {
      closed = true;
      stage.streams().remove(resp);
      stage.listener().onStream(call, -1);
      call.exchange.end();
    }
  }
}
