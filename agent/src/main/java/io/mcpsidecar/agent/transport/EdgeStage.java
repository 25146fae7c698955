package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.McpEra;
import io.mcpsidecar.agent.mcp.RoutingHeaders;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.EdgeConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The edge checks, the first stage: what a request must be before anything else looks at it. Its
 * checks of the request head ({@link #beforeBody}) run before the body is read, so that a refused
 * body is never read; those of the parsed messages (session id, batches in the era, routing
 * headers) run as the first stage of the pipeline.
 */
public final class EdgeStage implements Stage {

  public static final String NAME = "edge";

  private final BooleanSupplier draining;

  /**
   * @param draining whether the agent is shutting down (new requests are refused with 503)
   */
  public EdgeStage(BooleanSupplier draining) {
    this.draining = draining;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    if (call.httpMethod() != HttpMethod.POST) {
      return next.proceed(); // checked whole before the body
    }
    EdgeConfig edge = call.config().edge();
    Rejection session = sessionIdCheck(call.headers().getAll(SessionIds.HEADER), edge);
    if (session != null) {
      return Future.succeededFuture(Outcome.refused(session));
    }
    McpEra era = call.era();
    if (call.batch() && !era.allowsBatches()) {
      return Future.succeededFuture(
          new Outcome.Refused(
              Rejection.of(
                  ErrorCode.INVALID_REQUEST,
                  "JSON-RPC batches are not allowed in protocol version " + era.version(),
                  Map.of("reason", "batch_not_allowed", "protocolVersion", era.version())),
              false));
    }
    if (era.isStateless() && !call.batch()) {
      String mismatch =
          RoutingHeaders.mismatch(
              call.headers().get(RoutingHeaders.METHOD),
              call.headers().get(RoutingHeaders.NAME),
              call.firstMessage());
      if (mismatch != null) {
        return Future.succeededFuture(
            Outcome.refused(
                Rejection.of(ErrorCode.HEADER_MISMATCH, mismatch, Map.of("reason", mismatch))));
      }
    }
    return next.proceed();
  }

  /**
   * The checks of the request head, before its body is read: the method, draining, header bounds,
   * Origin, the session id of a GET or DELETE, and the media type and declared length of a POST.
   * Null when the request passes.
   */
  Rejection beforeBody(HttpServerRequest req, AgentConfig cfg) {
    Rejection refused = MethodCheck.refusal(req);
    if (refused != null) {
      return refused;
    }
    EdgeConfig edge = cfg.edge();
    if (draining.getAsBoolean()) {
      req.response().putHeader("Connection", "close");
      return Rejection.of(ErrorCode.SHUTTING_DOWN, "the agent is shutting down; retry");
    }
    if (req.headers().size() > edge.maxHeaderCount()
        || Headers.size(req.headers()) > edge.maxHeaderBytes()) {
      return Rejection.of(
          ErrorCode.HEADERS_TOO_LARGE,
          "too many or too large request headers",
          Map.of("maxHeaderCount", edge.maxHeaderCount(), "maxHeaderBytes", edge.maxHeaderBytes()));
    }
    String origin = req.getHeader("Origin");
    if (!OriginCheck.allowed(origin, edge.allowedOrigins())) {
      return Rejection.of(
          ErrorCode.ORIGIN_NOT_ALLOWED, "Origin not allowed", Map.of("origin", origin));
    }
    if (req.method() != HttpMethod.POST) {
      // A POST is checked once its body is parsed, to answer with its id.
      return sessionIdCheck(req.headers().getAll(SessionIds.HEADER), edge);
    }
    String contentType = req.getHeader("Content-Type");
    if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
      return Rejection.of(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "MCP messages are POSTed as application/json",
          Map.of("contentType", contentType));
    }
    String length = req.getHeader("Content-Length");
    if (length != null && tooLong(length, edge.maxBodyBytes())) {
      req.response().putHeader("Connection", "close");
      return tooLarge(edge);
    }
    return null;
  }

  /**
   * Refuses a session id that is not visible ASCII or longer than {@code edge.maxSessionIdBytes},
   * and more than one {@code Mcp-Session-Id} header (all of them would be forwarded, while the
   * agent binds and checks only one).
   */
  private static Rejection sessionIdCheck(java.util.List<String> ids, EdgeConfig edge) {
    String problem = SessionIds.problem(ids, edge.maxSessionIdBytes());
    if (problem == null) {
      return null;
    }
    return Rejection.of(
        ErrorCode.INVALID_REQUEST,
        problem.equals(SessionIds.DUPLICATE)
            ? "more than one Mcp-Session-Id header"
            : "Mcp-Session-Id must be 1 to "
                + edge.maxSessionIdBytes()
                + " visible ASCII characters",
        Map.of("reason", problem, "maxSessionIdBytes", edge.maxSessionIdBytes()));
  }

  static Rejection tooLarge(EdgeConfig edge) {
    return Rejection.of(
        ErrorCode.PAYLOAD_TOO_LARGE,
        "request body larger than " + edge.maxBodyBytes() + " bytes",
        Map.of("maxBodyBytes", edge.maxBodyBytes()));
  }

  private static boolean tooLong(String contentLength, long max) {
    try {
      return Long.parseLong(contentLength.trim()) > max;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
