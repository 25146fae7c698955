package io.mcpsidecar.agent.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.regex.Pattern;

/**
 * An event stream the agent opens to the client before the call's outcome exists, so that a stage
 * can keep a request open and tell the client it is waiting (MCP progress notifications) while it
 * decides: the approvals stage holds a call this way until a human decides. Once the stage's
 * outcome is written, it goes into this same stream: a JSON answer from the server becomes one
 * event, an event stream's events are relayed as they come, and a refusal becomes one event
 * carrying the JSON-RPC error. Touched only on the call's event loop.
 */
public final class HeldStream {

  private static final Pattern LINE = Pattern.compile("\r\n|\r|\n");

  private final McpCall call;
  private final HttpServerResponse resp;

  HeldStream(McpCall call, HttpServerResponse resp) {
    this.call = call;
    this.resp = resp;
  }

  /**
   * Writes one JSON-RPC message as an SSE event (the head first, 200 {@code text/event-stream},
   * when this is the first); nothing once the client has gone.
   */
  public void send(String json) {
    if (resp.ended() || resp.closed()) {
      return;
    }
    head();
    Buffer event = event(json);
    call.addBytesOut(event.length());
    resp.write(event);
  }

  /** Whether the client is still there. */
  public boolean open() {
    return !resp.ended() && !resp.closed() && !call.exchange.clientGone();
  }

  /**
   * What to do when the client leaves while the stage waits (cancel its timers, complete its
   * outcome so the exchange can end). Replaced once the call is forwarded.
   */
  public void onClientGone(Runnable action) {
    call.exchange.onClientGone(action);
  }

  void head() {
    if (!resp.headWritten()) {
      call.stream(true);
      call.status(200);
      resp.setStatusCode(200);
      resp.headers().remove("Content-Length");
      resp.putHeader("Content-Type", "text/event-stream");
      resp.putHeader("Cache-Control", "no-cache");
      resp.setChunked(true);
      resp.writeHead();
    }
  }

  boolean headWritten() {
    return resp.headWritten();
  }

  /** {@code event: message} with one {@code data:} line per line of the JSON text. */
  static Buffer event(String json) {
    StringBuilder out = new StringBuilder(json.length() + 32).append("event: message\n");
    for (String line : LINE.split(json, -1)) {
      out.append("data: ").append(line).append('\n');
    }
    return Buffer.buffer(out.append('\n').toString());
  }
}
