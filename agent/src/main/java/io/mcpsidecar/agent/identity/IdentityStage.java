package io.mcpsidecar.agent.identity;

import io.mcpsidecar.agent.audit.AuditEvent;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.CallKey;
import io.mcpsidecar.agent.transport.ContextBound;
import io.mcpsidecar.agent.transport.EdgeStage;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.McpInterceptor;
import io.mcpsidecar.agent.transport.Principal;
import io.mcpsidecar.agent.transport.Rejection;
import io.mcpsidecar.agent.transport.SessionIds;
import io.mcpsidecar.agent.transport.Verdict;
import io.mcpsidecar.config.IdentityConfig;
import io.mcpsidecar.config.SessionsConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity stage: gives every call a tenant and a subject from its credentials (trusted gateway
 * header, JWT, API key, or anonymous), before any limit or policy runs, and sets them as the call's
 * {@link Principal}. Refuses bad credentials with 401 and a challenge pointing at the
 * protected-resource metadata, which it serves itself; keeps the client's credential from the
 * server unless configured otherwise; binds each session to the principal that opened it. Never
 * blocks: JWT keys come from an asynchronous, cached key set.
 */
public final class IdentityStage implements McpInterceptor {

  /** What a session is bound to: the subject qualified by its tenant. */
  private static final CallKey<String> OWNER = CallKey.of("identity.owner", String.class);

  /** Bytes reserved in the session table for the session an initialize may open. */
  private static final CallKey<Long> RESERVED = CallKey.of("identity.reserved", Long.class);

  /** Marks a call presenting a session id not known here: a successful answer binds it. */
  private static final CallKey<Boolean> UNKNOWN_SESSION =
      CallKey.of("identity.unknownSession", Boolean.class);

  private static final Logger LOG = LoggerFactory.getLogger(IdentityStage.class);

  private final JwtAuthenticator jwt;
  private final IdentityMetrics metrics;
  private final SessionOwners sessions;
  private final AuditSink audit;
  private volatile Derived derived;

  /** What is built once per identity config: the key table and the trusted networks. */
  private record Derived(IdentityConfig source, ApiKeys apiKeys, List<Cidr> trusted) {
    boolean trusts(String address) {
      return trusted.stream().anyMatch(c -> c.contains(address));
    }
  }

  /**
   * @param jwksClient the client JWKS documents are fetched with; the caller owns (and closes) it
   *     ({@link #jwksClient} makes one)
   * @param warmUpJwt whether to load the JWT parser now, off the event loop (when JWTs are enabled
   *     at start); otherwise its classes load with the first token
   */
  public IdentityStage(
      HttpClient jwksClient,
      MeterRegistry registry,
      AuditSink audit,
      Clock clock,
      boolean warmUpJwt) {
    this.audit = audit;
    this.jwt = new JwtAuthenticator(new JwksCache(jwksClient, clock), clock);
    this.sessions = new SessionOwners(clock);
    this.metrics = new IdentityMetrics(registry, sessions);
    if (warmUpJwt) {
      JwtAuthenticator.warmUp(); // loads the parser at start, not on an event loop
    }
  }

  /** A client fit for fetching JWKS documents: a small keep-alive pool. */
  public static HttpClient jwksClient(Vertx vertx) {
    return vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setMaxHeaderSize(16 * 1024),
        new PoolOptions().setHttp1MaxSize(4));
  }

  /** The name every stage that reads the call's {@link Principal} says it needs before it. */
  public static final String NAME = "identity";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> requires() {
    return Set.of(EdgeStage.NAME);
  }

  @Override
  public Future<Verdict> intercept(McpCall call) {
    IdentityConfig config = call.config().identity();
    if (call.httpMethod() == HttpMethod.GET
        && ProtectedResource.isMetadataPath(call.uri())
        && ProtectedResource.servedByAgent(config)) {
      return Future.succeededFuture(
          Verdict.respond(
              200,
              Map.of("Content-Type", "application/json", "Cache-Control", "max-age=300"),
              ProtectedResource.document(config.resourceMetadata(), call.headers(), call.uri())));
    }
    return resolve(call, config, derived(config)).map(result -> decide(call, config, result));
  }

  private Future<IdentityResult> resolve(McpCall call, IdentityConfig config, Derived d) {
    MultiMap headers = call.headers();
    if (config.trustedHeader().enabled()) {
      String tenant = headers.get(config.trustedHeader().header());
      if (tenant != null) {
        if (!d.trusts(call.remoteAddress())) {
          return done(IdentityResult.failed(IdentityFailure.UNTRUSTED_SOURCE));
        }
        if (!TenantIds.valid(tenant)) {
          return done(IdentityResult.failed(IdentityFailure.INVALID_TENANT));
        }
        String subject = headers.get(config.trustedHeader().subjectHeader());
        if (subject != null && !Subjects.valid(subject)) {
          return done(IdentityResult.failed(IdentityFailure.INVALID_SUBJECT));
        }
        return done(
            IdentityResult.of(
                new Identity(tenant, subject == null ? tenant : subject, "trusted_header")));
      }
    }
    String bearer = bearer(headers.get("Authorization"));
    if (bearer != null && config.jwt().enabled() && JwtAuthenticator.looksLikeJwt(bearer)) {
      return ContextBound.await(jwt.authenticate(bearer, config.jwt()));
    }
    String apiKey = headers.get("X-API-Key");
    String key = apiKey != null ? apiKey : bearer;
    if (key != null && !d.apiKeys().isEmpty()) {
      Identity identity = d.apiKeys().lookup(key);
      return done(
          identity != null
              ? IdentityResult.of(identity)
              : IdentityResult.failed(IdentityFailure.UNKNOWN_API_KEY));
    }
    if (key != null && config.jwt().enabled()) {
      return done(IdentityResult.failed(IdentityFailure.MALFORMED));
    }
    if (config.anonymous().allowed()) {
      return done(
          IdentityResult.of(new Identity(config.anonymous().tenant(), "anonymous", "anonymous")));
    }
    return done(IdentityResult.failed(IdentityFailure.MISSING));
  }

  private Verdict decide(McpCall call, IdentityConfig config, IdentityResult result) {
    if (result instanceof IdentityResult.Failed failed) {
      return refuse(call, config, failed.failure());
    }
    Identity identity = ((IdentityResult.Resolved) result).identity();
    call.principal(identity.toPrincipal());
    if (!config.forwardToken() && identity.fromCredential()) {
      // The credential that identified the caller stays here (no token passthrough); headers the
      // agent did not use pass on untouched, as through a plain proxy.
      call.headers().remove("Authorization");
      call.headers().remove("X-API-Key");
    }
    String principal = identity.principal();
    String session = call.sessionId();
    if (session != null) {
      SessionOwners.Standing standing = sessions.standing(session, principal);
      if (standing == SessionOwners.Standing.OTHER) {
        audit(call, "session_owned_by_another_subject");
        return Verdict.reject(
            Rejection.of(
                ErrorCode.SESSION_NOT_FOUND,
                "session not found",
                Map.of("reason", "session_not_found")));
      }
      if (standing == SessionOwners.Standing.UNKNOWN) {
        call.put(UNKNOWN_SESSION, Boolean.TRUE);
      }
    }
    if (initializes(call)) {
      long cost = SessionOwners.cost(call.config().edge().maxSessionIdBytes(), principal);
      SessionsConfig table = config.sessions();
      if (!sessions.reserve(cost, table.maxBytes(), table.idleTimeout())) {
        metrics.sessionRefused();
        audit(call, "session_table_full");
        return Verdict.reject(
            new Rejection(
                ErrorCode.OVERLOADED,
                "no room for another session; retry later",
                Map.of("reason", "session_table_full", "retryAfterMs", 1000),
                Map.of("Retry-After", "1")));
      }
      call.put(RESERVED, cost);
    }
    call.put(OWNER, principal);
    return Verdict.PROCEED;
  }

  private Verdict refuse(McpCall call, IdentityConfig config, IdentityFailure failure) {
    metrics.failed(failure);
    audit(call, failure.reason());
    String url =
        ProtectedResource.metadataUrl(config.resourceMetadata(), call.headers(), call.uri());
    return Verdict.reject(
        new Rejection(
            ErrorCode.UNAUTHENTICATED,
            failure.message(),
            Map.of("reason", failure.reason(), "resourceMetadata", url),
            Map.of("WWW-Authenticate", ProtectedResource.challenge(url, failure))));
  }

  /**
   * Records what the server said about sessions: the id it issued to an initialize, an unknown id
   * it accepted, a session it no longer knows (404) or that its owner deleted.
   */
  @Override
  public void onEnd(McpCall call) {
    String owner = call.get(OWNER);
    if (owner == null) {
      return; // refused before a principal was known: nothing was reserved or learned
    }
    SessionsConfig table = call.config().identity().sessions();
    boolean ok = call.status() >= 200 && call.status() < 300;
    Long reserved = call.get(RESERVED);
    if (reserved != null) {
      long cost = reserved;
      String opened = call.responseHeaders().get(SessionIds.HEADER);
      if (ok && SessionIds.valid(opened, call.config().edge().maxSessionIdBytes())) {
        sessions.bindIssued(opened, owner, cost, table.idleTimeout());
      } else {
        sessions.release(cost); // no session, or an id no client could present here
      }
    }
    String session = call.sessionId();
    if (session == null) {
      return;
    }
    if (call.status() == 404 || (ok && call.httpMethod() == HttpMethod.DELETE)) {
      sessions.forget(session, owner);
    } else if (ok && call.get(UNKNOWN_SESSION) != null) {
      sessions.adopt(session, owner, table.maxBytes(), table.idleTimeout());
    }
  }

  private static boolean initializes(McpCall call) {
    for (JsonRpcMessage message : call.messages()) {
      if (message.isRequest() && "initialize".equals(message.method())) {
        return true;
      }
    }
    return false;
  }

  private Derived derived(IdentityConfig config) {
    Derived d = derived;
    if (d == null || d.source() != config) {
      d =
          new Derived(
              config, new ApiKeys(config.apiKeys()), trusted(config.trustedHeader().sourceCidrs()));
      derived = d;
    }
    return d;
  }

  /** The networks that parse; one that does not is trusted by nobody (and logged). */
  private static List<Cidr> trusted(List<String> cidrs) {
    List<Cidr> out = new java.util.ArrayList<>();
    for (String cidr : cidrs) {
      try {
        out.add(Cidr.parse(cidr));
      } catch (IllegalArgumentException e) {
        LOG.atError().log("identity.trustedHeader.sourceCidrs: {} is no network; ignored", cidr);
      }
    }
    return List.copyOf(out);
  }

  private static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 7) {
      return null;
    }
    if (!authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private void audit(McpCall call, String reason) {
    audit.write(
        AuditEvent.deny(AuditEvent.Type.IDENTITY_REFUSED, reason)
            .call(call)
            .with("remoteAddress", call.remoteAddress()));
  }

  private static <T> Future<T> done(T value) {
    return Future.succeededFuture(value);
  }
}
