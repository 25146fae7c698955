package io.mcpsidecar.benchmarks.load;

import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.function.Supplier;

/**
 * One MCP client on one keep-alive connection, as a real client behaves: it initializes a session,
 * sends {@code notifications/initialized}, then makes calls one at a time with the session id and
 * protocol version headers. Each exchange runs on the event loop the connection was opened on, even
 * when a test calls from its own thread: a response's body handler is then always set before its
 * data can arrive.
 */
public final class McpConnection {

  private final HttpClientConnection connection;
  private final Endpoint endpoint;
  private final Context context;
  private String sessionId;
  private boolean closed;

  private McpConnection(HttpClientConnection connection, Endpoint endpoint, Context context) {
    this.connection = connection;
    this.endpoint = endpoint;
    this.context = context;
    connection.closeHandler(v -> closed = true);
  }

  /** Connects and performs the handshake; the future completes when calls can be made. */
  public static Future<McpConnection> open(HttpClientAgent client, Endpoint endpoint) {
    Context caller = Vertx.currentContext();
    Promise<McpConnection> opened = Promise.promise();
    client
        .connect(new HttpConnectOptions().setHost(endpoint.host()).setPort(endpoint.port()))
        .onComplete(
            connected -> {
              if (connected.failed()) {
                opened.fail(connected.cause());
                return;
              }
              Context context = caller != null ? caller : Vertx.currentContext();
              McpConnection connection = new McpConnection(connected.result(), endpoint, context);
              connection.onContext(connection::handshake).onComplete(opened);
            });
    return opened.future();
  }

  /** Runs an exchange on the connection's event loop (at once when already there). */
  private <T> Future<T> onContext(Supplier<Future<T>> exchange) {
    if (context == null || Vertx.currentContext() == context) {
      return exchange.get();
    }
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> exchange.get().onComplete(done));
    return done.future();
  }

  private Future<McpConnection> handshake() {
    return post(Payloads.initialize(0), false)
        .compose(
            resp -> {
              sessionId = resp.getHeader("Mcp-Session-Id");
              return resp.body().map(b -> resp.statusCode());
            })
        .compose(
            status ->
                status == 200
                    ? post(Payloads.initialized(), true).compose(r -> r.body().map(b -> r))
                    : Future.failedFuture("initialize answered " + status))
        .compose(
            resp ->
                resp.statusCode() == 202
                    ? Future.succeededFuture(this)
                    : Future.failedFuture("initialized answered " + resp.statusCode()));
  }

  /** Sends one call and completes with the HTTP status once the whole answer has arrived. */
  public Future<Integer> call(Buffer body) {
    return onContext(
        () -> post(body, true).compose(resp -> resp.body().map(b -> resp.statusCode())));
  }

  private Future<HttpClientResponse> post(Buffer body, boolean inSession) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headers
        .set("Content-Type", "application/json")
        .set("Accept", Payloads.ACCEPT)
        .set(Payloads.API_KEY_HEADER, Payloads.API_KEY);
    if (inSession) {
      headers.set("MCP-Protocol-Version", Payloads.PROTOCOL_VERSION);
      if (sessionId != null) {
        headers.set("Mcp-Session-Id", sessionId);
      }
    }
    return connection
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setURI(endpoint.path())
                .setHeaders(headers))
        .compose(req -> req.send(body));
  }

  public String sessionId() {
    return sessionId;
  }

  public boolean closed() {
    return closed;
  }

  public Future<Void> close() {
    return connection.close();
  }
}
