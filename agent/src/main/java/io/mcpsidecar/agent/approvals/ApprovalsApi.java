package io.mcpsidecar.agent.approvals;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approvals API on the admin port: {@code GET /approvals} (pending), {@code GET
 * /approvals/{id}}, {@code POST /approvals/{id}/approve} and {@code POST /approvals/{id}/deny} with
 * {@code {"approver": "...", "reason": "..."}}. Every request needs {@code Authorization: Bearer}
 * with {@code admin.token} (compared in constant time; 401 otherwise); without a configured token
 * the paths do not exist (404).
 */
public final class ApprovalsApi {

  /** The longest decision body read. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  /** The longest approver name and reason kept. */
  static final int MAX_TEXT_CHARS = 512;

  private static final Logger LOG = LoggerFactory.getLogger(ApprovalsApi.class);
  private static final Pattern ONE = Pattern.compile("^/approvals/([A-Za-z0-9_-]{1,64})$");
  private static final Pattern DECIDE =
      Pattern.compile("^/approvals/([A-Za-z0-9_-]{1,64})/(approve|deny)$");

  private final Approvals approvals;
  private final Supplier<String> token;

  /**
   * @param token the configured {@code admin.token}, read at each request (a reload applies);
   *     empty: the API is off
   */
  public ApprovalsApi(Approvals approvals, Supplier<String> token) {
    this.approvals = approvals;
    this.token = token;
  }

  /** Whether the path belongs to this API ({@code /approvals} and below). */
  public static boolean owns(String path) {
    return path.equals("/approvals") || path.startsWith("/approvals/");
  }

  /** Answers a request for one of this API's paths. */
  public void handle(HttpServerRequest req) {
    String expected = token.get();
    if (expected.isEmpty()) {
      json(req, 404, new JsonObject().put("error", "no such admin endpoint: " + req.path()));
      return;
    }
    if (!authorized(req.getHeader("Authorization"), expected)) {
      req.response().putHeader("WWW-Authenticate", "Bearer realm=\"mcp-sidecar-admin\"");
      json(req, 401, new JsonObject().put("error", "a valid bearer token (admin.token) is needed"));
      return;
    }
    String path = req.path();
    Matcher decide = DECIDE.matcher(path);
    Matcher one = ONE.matcher(path);
    if (path.equals("/approvals")) {
      if (allowed(req, HttpMethod.GET)) {
        list(req);
      }
    } else if (decide.matches()) {
      if (allowed(req, HttpMethod.POST)) {
        decide(req, decide.group(1), decide.group(2).equals("approve"));
      }
    } else if (one.matches()) {
      if (allowed(req, HttpMethod.GET)) {
        one(req, one.group(1));
      }
    } else {
      json(req, 404, new JsonObject().put("error", "no such approvals endpoint: " + path));
    }
  }

  /** Constant time: both sides are hashed first, so neither content nor length leaks. */
  static boolean authorized(String header, String expected) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    String presented = header.substring(7).trim();
    return MessageDigest.isEqual(sha256(presented), sha256(expected));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean allowed(HttpServerRequest req, HttpMethod method) {
    if (req.method() == method) {
      return true;
    }
    req.response().putHeader("Allow", method.name());
    json(req, 405, new JsonObject().put("error", "use " + method.name()));
    return false;
  }

  private void list(HttpServerRequest req) {
    approvals
        .pending()
        .onComplete(
            done -> {
              if (done.failed()) {
                unavailable(req, done.cause());
                return;
              }
              Instant now = approvals.now();
              JsonArray items = new JsonArray();
              done.result().forEach(a -> items.add(a.view(now)));
              json(req, 200, new JsonObject().put("approvals", items));
            });
  }

  private void one(HttpServerRequest req, String id) {
    approvals
        .get(id)
        .onComplete(
            done -> {
              if (done.failed()) {
                unavailable(req, done.cause());
              } else if (done.result() == null) {
                json(req, 404, new JsonObject().put("error", "no approval " + id));
              } else {
                json(req, 200, done.result().view(approvals.now()));
              }
            });
  }

  private void decide(HttpServerRequest req, String id, boolean approve) {
    long declared = -1;
    try {
      String length = req.getHeader("Content-Length");
      declared = length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      declared = Long.MAX_VALUE;
    }
    if (declared > MAX_BODY_BYTES) {
      req.response().putHeader("Connection", "close");
      json(req, 413, new JsonObject().put("error", "body over " + MAX_BODY_BYTES + " bytes"));
      return;
    }
    req.body()
        .onComplete(
            body -> {
              if (body.failed()) {
                return; // the connection broke
              }
              if (body.result().length() > MAX_BODY_BYTES) {
                json(req, 413, new JsonObject().put("error", "body too large"));
                return;
              }
              JsonObject decision;
              try {
                decision =
                    body.result().length() == 0 ? new JsonObject() : body.result().toJsonObject();
              } catch (DecodeException | ClassCastException e) {
                json(req, 400, new JsonObject().put("error", "the body is not a JSON object"));
                return;
              }
              Object approver = decision.getValue("approver");
              Object reason = decision.getValue("reason");
              if (!(approver instanceof String name) || name.isBlank()) {
                json(req, 400, new JsonObject().put("error", "approver is required"));
                return;
              }
              if (reason != null && !(reason instanceof String)) {
                json(req, 400, new JsonObject().put("error", "reason must be a string"));
                return;
              }
              approvals
                  .decide(
                      id, approve, cut(name.strip()), reason == null ? null : cut((String) reason))
                  .onComplete(done -> decided(req, id, done));
            });
  }

  private void decided(
      HttpServerRequest req, String id, io.vertx.core.AsyncResult<ApprovalStore.Decision> done) {
    if (done.failed()) {
      unavailable(req, done.cause());
      return;
    }
    Instant now = approvals.now();
    ApprovalStore.Decision d = done.result();
    if (d instanceof ApprovalStore.Decision.Done ok) {
      json(req, 200, ok.approval().view(now));
    } else if (d instanceof ApprovalStore.Decision.NotPending np) {
      json(
          req,
          409,
          new JsonObject()
              .put("error", "approval " + id + " is " + np.approval().stateAt(now).label())
              .put("approval", np.approval().view(now)));
    } else {
      json(req, 404, new JsonObject().put("error", "no approval " + id));
    }
  }

  private static String cut(String s) {
    return s.length() <= MAX_TEXT_CHARS ? s : s.substring(0, MAX_TEXT_CHARS);
  }

  private static void unavailable(HttpServerRequest req, Throwable cause) {
    LOG.atWarn().log("approval store failed: {}", cause.toString());
    json(req, 503, new JsonObject().put("error", "the approval store did not answer"));
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    if (req.response().ended() || req.response().closed()) {
      return;
    }
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
