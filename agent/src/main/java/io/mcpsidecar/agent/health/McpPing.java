package io.mcpsidecar.agent.health;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The MCP server checked at the protocol level: an MCP {@code ping} that the server must answer
 * with a JSON-RPC result. In the stateful eras the check opens a session of its own (initialize,
 * notifications/initialized) and pings on it; when the server has forgotten the session (404) it
 * initializes again. In a stateless era (2026-07-28) it sends a bare ping with the routing headers.
 * Answers may be JSON or an event stream; at most {@link #MAX_BYTES} are read.
 *
 * <p>Runs are sequential (the runner never overlaps them), so the session needs no lock.
 */
final class McpPing implements Probe {

  static final int MAX_BYTES = 64 * 1024;

  /** Offered in initialize when the version is {@code auto}: the newest stateful one known. */
  static final String NEWEST_STATEFUL = "2025-11-25";

  private final HttpClient client;
  private final Supplier<URI> url;
  private final String protocolVersion;
  private final boolean stateless;
  private final AtomicLong ids = new AtomicLong();
  private volatile @Nullable String sessionId;
  private volatile @Nullable String negotiated;

  McpPing(HttpClient client, Supplier<URI> url, String protocolVersion, boolean stateless) {
    this.client = client;
    this.url = url;
    this.protocolVersion = protocolVersion;
    this.stateless = stateless;
  }

  @Override
  public Future<String> run(Duration timeout) {
    if (stateless) {
      return ping(timeout).map(ms -> "ping answered (" + protocolVersion + ", stateless)");
    }
    if (negotiated == null) {
      return initialize(timeout).compose(v -> ping(timeout)).map(this::answered);
    }
    return ping(timeout)
        .recover(
            err -> {
              if (err instanceof SessionGone) {
                sessionId = null;
                negotiated = null;
                return initialize(timeout).compose(v -> ping(timeout));
              }
              return Future.failedFuture(err);
            })
        .map(this::answered);
  }

  /** Ends the check's session on the server, best effort (the agent is stopping or re-planning). */
  @Override
  public void close() {
    String session = sessionId;
    if (session == null || stateless) {
      return;
    }
    sessionId = null;
    RequestOptions options =
        options(Duration.ofSeconds(1), "delete")
            .setMethod(HttpMethod.DELETE)
            .putHeader("Mcp-Session-Id", session);
    options.removeHeader("Content-Type");
    client
        .request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body())
        .onFailure(err -> {}); // the server may be gone: nothing to do
  }

  private String answered(Object ignored) {
    return "ping answered ("
        + negotiated
        + (sessionId == null ? ", no session" : ", in a session")
        + ")";
  }

  private Future<Void> initialize(Duration timeout) {
    String offered = "auto".equals(protocolVersion) ? NEWEST_STATEFUL : protocolVersion;
    JsonObject params =
        new JsonObject()
            .put("protocolVersion", offered)
            .put("capabilities", new JsonObject())
            .put(
                "clientInfo",
                new JsonObject().put("name", "mcp-sidecar-health").put("version", "1"));
    return request("initialize", params, timeout, true)
        .compose(
            answer -> {
              JsonObject result = answer.result;
              String version = result.getString("protocolVersion");
              if (version == null) {
                return Future.failedFuture(
                    new IOException("initialize answered without a protocolVersion"));
              }
              negotiated = version;
              sessionId = answer.headers.get("Mcp-Session-Id");
              return notifyInitialized(timeout);
            });
  }

  private Future<Void> notifyInitialized(Duration timeout) {
    Buffer body = Buffer.buffer("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    return client
        .request(options(timeout, "notifications/initialized"))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(resp.statusCode()).otherwise(resp.statusCode()))
        .compose(
            status -> {
              return status / 100 == 2
                  ? Future.succeededFuture()
                  : Future.failedFuture(
                      new IOException("notifications/initialized answered HTTP " + status));
            });
  }

  private Future<Long> ping(Duration timeout) {
    long started = System.nanoTime();
    return request("ping", null, timeout, false)
        .map(answer -> (System.nanoTime() - started) / 1_000_000);
  }

  private record Answer(JsonObject result, MultiMap headers) {}

  /** The server forgot the session: initialize again. */
  private static final class SessionGone extends IOException {
    SessionGone() {
      super("the server no longer knows the session (404)", null);
    }
  }

  private Future<Answer> request(
      String method, @Nullable JsonObject params, Duration timeout, boolean initialize) {
    String id = "health-" + ids.incrementAndGet();
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method);
    if (params != null) {
      message.put("params", params);
    }
    Promise<Answer> answer = Promise.promise();
    RequestOptions options = options(timeout, method);
    if (initialize) {
      options.removeHeader("Mcp-Session-Id").removeHeader("MCP-Protocol-Version");
    }
    // Handlers go on the response in the send callback itself: set later, a small body may be lost.
    client
        .request(options)
        .onFailure(answer::tryFail)
        .onSuccess(
            req ->
                req.send(message.toBuffer())
                    .onFailure(answer::tryFail)
                    .onSuccess(resp -> read(resp, id, method, answer)));
    return answer.future();
  }

  private RequestOptions options(Duration timeout, String method) {
    URI target = url.get();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(target.toString())
            .setConnectTimeout(timeout.toMillis())
            .setIdleTimeout(timeout.toMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader("Accept", "application/json, text/event-stream");
    String version = stateless ? protocolVersion : negotiated;
    if (version != null) {
      options.putHeader("MCP-Protocol-Version", version);
    }
    if (stateless) {
      options.putHeader("Mcp-Method", method);
    }
    String session = sessionId;
    if (session != null) {
      options.putHeader("Mcp-Session-Id", session);
    }
    return options;
  }

  private void read(HttpClientResponse resp, String id, String method, Promise<Answer> answer) {
    int status = resp.statusCode();
    if (status == 404 && sessionId != null && !"initialize".equals(method)) {
      resp.request().reset();
      answer.tryFail(new SessionGone());
      return;
    }
    if (status != 200) {
      resp.request().reset();
      answer.tryFail(new IOException(method + " answered HTTP " + status));
      return;
    }
    String type = resp.getHeader("Content-Type");
    boolean stream =
        type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
    Buffer body = Buffer.buffer();
    resp.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BYTES) {
            answer.tryFail(new IOException(method + " answer larger than " + MAX_BYTES + " bytes"));
            resp.request().reset();
            return;
          }
          body.appendBuffer(chunk);
          if (stream) {
            JsonObject found = JsonRpcAnswers.fromEvents(body.toString(), id);
            if (found != null) {
              settle(found, resp.headers(), method, answer);
              resp.request().reset(); // the answer is in: no need to wait for the stream's end
            }
          }
        });
    resp.exceptionHandler(answer::tryFail);
    resp.endHandler(
        v -> {
          JsonObject found =
              stream
                  ? JsonRpcAnswers.fromEvents(body.toString(), id)
                  : JsonRpcAnswers.fromJson(body.toString(), id);
          if (found == null) {
            answer.tryFail(new IOException(method + " got no JSON-RPC answer with id " + id));
          } else {
            settle(found, resp.headers(), method, answer);
          }
        });
  }

  private static void settle(
      JsonObject message, MultiMap headers, String method, Promise<Answer> answer) {
    JsonObject error = message.getJsonObject("error");
    if (error != null) {
      answer.tryFail(
          new IOException(
              method
                  + " answered error "
                  + error.getValue("code")
                  + ": "
                  + error.getValue("message")));
      return;
    }
    Object result = message.getValue("result");
    answer.tryComplete(new Answer(result instanceof JsonObject o ? o : new JsonObject(), headers));
  }
}
