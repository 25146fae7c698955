package io.mcpsidecar.agent.approvals;

import io.mcpsidecar.agent.audit.AuditEvent;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.limits.RedisLink;
import io.mcpsidecar.agent.policy.ApprovalRequest;
import io.mcpsidecar.agent.telemetry.ArgumentRedaction;
import io.mcpsidecar.config.ArgumentLoggingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The approvals of one agent: opens, finds, decides and uses them in the store, and counts, audits
 * and announces each step. The stage and the admin API both go through it.
 */
public final class Approvals implements AutoCloseable {

  /** How often expired approvals are marked and the pending gauges refreshed. */
  static final Duration SWEEP = Duration.ofSeconds(2);

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What approvals read from the current config.
   *
   * @param ttl how long an approval lives from its request
   * @param holdTimeout how long a held call waits for a decision
   * @param maxPending how many pending approvals the store holds at most
   * @param redaction how the arguments an approver sees are redacted
   */
  public record Settings(
      Duration ttl, Duration holdTimeout, int maxPending, ArgumentLoggingConfig redaction) {}

  private final ApprovalStore store;
  private final Clock clock;
  private final Supplier<Settings> settings;
  private final ApprovalMetrics metrics;
  private final AuditSink audit;
  private final @Nullable ApprovalNotifier notifier;
  private final Vertx vertx;
  private final long sweepTimer;
  private final boolean shared;

  Approvals(
      Vertx vertx,
      ApprovalStore store,
      boolean shared,
      Clock clock,
      Supplier<Settings> settings,
      MeterRegistry registry,
      AuditSink audit,
      @Nullable ApprovalNotifier notifier) {
    this.vertx = vertx;
    this.store = store;
    this.shared = shared;
    this.clock = clock;
    this.settings = settings;
    this.metrics = new ApprovalMetrics(registry);
    this.audit = audit;
    this.notifier = notifier;
    if (notifier != null) {
      notifier.metrics(metrics);
    }
    this.sweepTimer = vertx.setPeriodic(SWEEP.toMillis(), t -> sweep());
  }

  /** Approvals kept in this agent's memory. */
  public static Approvals inMemory(
      Vertx vertx,
      Clock clock,
      Supplier<Settings> settings,
      MeterRegistry registry,
      AuditSink audit,
      @Nullable ApprovalNotifier notifier) {
    return new Approvals(
        vertx, new MemoryApprovalStore(), false, clock, settings, registry, audit, notifier);
  }

  /**
   * Approvals kept in Redis over {@code redis} (the link of {@code limits.redis}, which the caller
   * owns), under {@code keyPrefix}: shared by every replica, kept across restarts.
   */
  public static Approvals inRedis(
      Vertx vertx,
      RedisLink redis,
      String keyPrefix,
      Clock clock,
      Supplier<Settings> settings,
      MeterRegistry registry,
      AuditSink audit,
      @Nullable ApprovalNotifier notifier) {
    return new Approvals(
        vertx,
        new RedisApprovalStore(redis.client(), redis.uri(), keyPrefix),
        true,
        clock,
        settings,
        registry,
        audit,
        notifier);
  }

  Instant now() {
    return clock.instant();
  }

  Settings settings() {
    return settings.get();
  }

  /** Whether approvals are shared with other replicas (held calls then poll the store). */
  boolean shared() {
    return shared;
  }

  ApprovalMetrics metrics() {
    return metrics;
  }

  /** What the call that needs {@code request} is to get now. */
  sealed interface Check {
    /** Approved: the approval is now used and the call goes on. */
    record Pass(Approval approval) implements Check {}

    /** Approved and not used yet (only when the check was asked not to use it). */
    record Approved(Approval approval) implements Check {}

    /** Waits for a decision; {@code expired} is the binding's previous approval if it expired. */
    record Wait(Approval approval, @Nullable Approval expired) implements Check {}

    /** A human denied it. */
    record Denied(Approval approval) implements Check {}

    /** No new approval can be opened: the store holds {@code maxPending}. */
    record Full(int maxPending) implements Check {}
  }

  /**
   * Finds the approval of the request's binding, opening one when needed, and uses it if approved.
   */
  Future<Check> check(ApprovalRequest request, String requestId, @Nullable String traceId) {
    return check(request, requestId, traceId, true, true);
  }

  /** As {@link #check}, leaving an approved approval unused ({@link Check.Approved}). */
  Future<Check> peek(ApprovalRequest request, String requestId, @Nullable String traceId) {
    return check(request, requestId, traceId, false, true);
  }

  /** Uses an approved approval; {@link Check.Pass} for exactly one caller. */
  Future<Check> use(Approval a, ApprovalRequest r, String requestId, @Nullable String traceId) {
    return use(a, requestId, traceId, r, true);
  }

  private Future<Check> check(
      ApprovalRequest request,
      String requestId,
      @Nullable String traceId,
      boolean useIt,
      boolean retry) {
    Settings s = settings.get();
    Approval fresh = fresh(request, s);
    return store
        .open(fresh, now(), s.maxPending())
        .compose(
            opened -> {
              Approval a = opened.approval();
              if (opened.created()) {
                requested(a, requestId, traceId);
                if (opened.previous() != null
                    && opened.previous().state() == ApprovalState.EXPIRED) {
                  return Future.succeededFuture(new Check.Wait(a, opened.previous()));
                }
                return Future.succeededFuture(new Check.Wait(a, null));
              }
              if (a.state() == ApprovalState.DENIED) {
                return Future.succeededFuture(new Check.Denied(a));
              }
              if (a.state() == ApprovalState.APPROVED) {
                return useIt
                    ? use(a, requestId, traceId, request, retry)
                    : Future.succeededFuture(new Check.Approved(a));
              }
              return Future.succeededFuture(new Check.Wait(a, null));
            },
            err -> err instanceof ApprovalStore.Full ? full(s) : Future.failedFuture(err));
  }

  private Future<Check> use(
      Approval a, String requestId, @Nullable String traceId, ApprovalRequest r, boolean retry) {
    return store
        .use(a.id(), now())
        .compose(
            used -> {
              if (used) {
                metrics.count(ApprovalMetrics.Outcome.USED);
                audit.write(
                    event(AuditEvent.Type.APPROVAL_USED, a)
                        .with("requestId", requestId)
                        .with("traceId", traceId));
                return Future.succeededFuture(new Check.Pass(a));
              }
              // Another call (or replica) used it first: this call needs an approval of its own.
              return retry
                  ? check(r, requestId, traceId, true, false)
                  : Future.failedFuture(
                      new IllegalStateException("approval " + a.id() + " changed under the call"));
            });
  }

  private Future<Check> full(Settings s) {
    metrics.count(ApprovalMetrics.Outcome.REFUSED_FULL);
    return Future.succeededFuture(new Check.Full(s.maxPending()));
  }

  private void requested(Approval a, String requestId, @Nullable String traceId) {
    metrics.count(ApprovalMetrics.Outcome.REQUESTED);
    audit.write(
        event(AuditEvent.Type.APPROVAL_REQUESTED, a)
            .with("requestId", requestId)
            .with("traceId", traceId)
            .with("expiresAt", a.expiresAt().toString()));
    if (notifier != null) {
      notifier.announce(a);
    }
  }

  /** The approval with this id, or null. */
  public Future<@Nullable Approval> get(String id) {
    return store.get(id);
  }

  /** The pending approvals, oldest first. */
  public Future<List<Approval>> pending() {
    return store.pending(now());
  }

  /** Approves ({@code approve}) or denies a pending approval, and says so in the audit trail. */
  Future<ApprovalStore.Decision> decide(
      String id, boolean approve, String approver, @Nullable String reason) {
    ApprovalState to = approve ? ApprovalState.APPROVED : ApprovalState.DENIED;
    return store
        .decide(id, to, now(), approver, reason)
        .onSuccess(
            d -> {
              if (d instanceof ApprovalStore.Decision.Done done) {
                metrics.count(
                    approve ? ApprovalMetrics.Outcome.APPROVED : ApprovalMetrics.Outcome.DENIED);
                audit.write(
                    event(
                            approve
                                ? AuditEvent.Type.APPROVAL_APPROVED
                                : AuditEvent.Type.APPROVAL_DENIED,
                            done.approval())
                        .with("approver", approver)
                        .with("reason", reason));
              }
            });
  }

  /** Marks expired approvals (each counted and audited once) and refreshes the gauges. */
  Future<Void> sweep() {
    Instant now = now();
    return store
        .expire(now)
        .compose(
            expired -> {
              for (Approval a : expired) {
                metrics.count(ApprovalMetrics.Outcome.EXPIRED);
                audit.write(event(AuditEvent.Type.APPROVAL_EXPIRED, a));
              }
              return Future.all(store.pendingCount(now), store.pending(now));
            })
        .onSuccess(
            both -> {
              long count = both.resultAt(0);
              List<Approval> pending = both.resultAt(1);
              long oldest =
                  pending.isEmpty()
                      ? 0
                      : now.getEpochSecond() - pending.get(0).createdAt().getEpochSecond();
              metrics.pending(count, Math.max(0, oldest));
            })
        .<Void>mapEmpty()
        .recover(err -> Future.succeededFuture());
  }

  private Approval fresh(ApprovalRequest r, Settings s) {
    String digest = CanonicalJson.digest(r.arguments());
    String binding =
        CanonicalJson.digest(
            new JsonArray(
                List.of(r.tenant(), r.subject(), r.method(), r.name(), digest, r.policyVersion())));
    Instant now = now();
    return new Approval(
        newId(),
        ApprovalState.PENDING,
        binding,
        r.tenant(),
        r.subject(),
        r.method(),
        r.name(),
        r.rule(),
        r.policyVersion(),
        digest,
        ArgumentRedaction.redacted(r.arguments(), s.redaction()),
        now,
        now.plus(s.ttl()),
        null,
        null,
        null);
  }

  /** 128 random bits, URL-safe base64 without padding, after a recognisable prefix. */
  static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "apr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static AuditEvent event(AuditEvent.Type type, Approval a) {
    return AuditEvent.of(type)
        .with("approvalId", a.id())
        .with("tenant", a.tenant())
        .with("subject", a.subject())
        .with("method", a.method())
        .with("name", a.name())
        .with("rule", a.rule())
        .with("argumentsDigest", a.argumentsDigest());
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweepTimer);
    if (notifier != null) {
      notifier.close();
    }
    store.close();
  }
}
