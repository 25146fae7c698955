package io.mcpsidecar.benchmarks.load;

import io.mcpsidecar.benchmarks.upstream.Payloads;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One MCP client on one keep-alive connection, as a real client behaves: it initializes a session,
 * sends {@code notifications/initialized}, then makes calls one at a time with the session id and
 * protocol version headers. Used only from the client's event loop.
 */
public final class McpConnection {

  private final HttpClientConnection connection;
  private final Endpoint endpoint;
  private String sessionId;
  private boolean closed;

  private McpConnection(HttpClientConnection connection, Endpoint endpoint) {
    this.connection = connection;
    this.endpoint = endpoint;
    connection.closeHandler(v -> closed = true);
  }

  /** Connects and performs the handshake; the future completes when calls can be made. */
  public static Future<McpConnection> open(HttpClientAgent client, Endpoint endpoint) {
    return client
        .connect(new HttpConnectOptions().setHost(endpoint.host()).setPort(endpoint.port()))
        .map(c -> new McpConnection(c, endpoint))
        .compose(McpConnection::handshake);
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
    return post(body, true).compose(resp -> resp.body().map(b -> resp.statusCode()));
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
