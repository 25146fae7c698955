package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.audit.AuditEvent;
import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.mcp.JsonRpcParser;
import io.mcpsidecar.agent.mcp.TargetKind;
import io.mcpsidecar.agent.transport.BatchSplit;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Outcome;
import io.mcpsidecar.agent.transport.Principal;
import io.mcpsidecar.agent.transport.Rejection;
import io.mcpsidecar.agent.transport.Stage;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.PolicyConfig;
import io.mcpsidecar.config.TenantConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The policy stage: decides every request of a call that the caller's rule set applies to ({@code
 * tools/call}, {@code resources/read}, {@code resources/subscribe}, {@code prompts/get}, and
 * methods rules name), on the body's values, in every era. A denied request is answered with {@code
 * -32011 policy_denied} and {@code data.rule} and never reaches the server; in a batch the others
 * are forwarded and the answers merged ({@link BatchSplit}). A request an approve rule matched is
 * passed on with an {@link ApprovalRequest} for the approvals stage. List answers are filtered
 * ({@link ListFilter}). In audit mode decisions are counted and audited and nothing is refused,
 * filtered or held. Rules are compiled once per config snapshot ({@link PolicyPlan}).
 */
public final class PolicyStage implements Stage {

  public static final String NAME = "policy";

  private final Supplier<AgentConfig> config;
  private final PolicyMetrics metrics;
  private final AuditSink audit;
  private final Clock clock;
  private volatile PolicyPlan plan;

  public PolicyStage(
      Supplier<AgentConfig> config, MeterRegistry registry, AuditSink audit, Clock clock) {
    this.config = config;
    this.audit = audit;
    this.clock = clock;
    this.metrics =
        new PolicyMetrics(
            registry,
            () -> config.get().telemetry().metrics().maxTenants(),
            () -> configuredTenants(config.get()));
    plan(config.get()); // compiled at start, not on an event loop
  }

  /** The metrics, for the approvals stage to count {@code approved_use}. */
  public PolicyMetrics metrics() {
    return metrics;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> requires() {
    return Set.of("identity");
  }

  @Override
  public Future<Outcome> handle(McpCall call, Next next) {
    if (call.httpMethod() != HttpMethod.POST || call.messages().isEmpty()) {
      return next.proceed();
    }
    Principal principal = call.principal();
    String tenant = principal == null ? "anonymous" : principal.tenant();
    String subject = principal == null ? "" : principal.subject();
    RuleSet rules = plan(call.config()).ruleSetOf(tenant);
    boolean enforce = rules.mode() == PolicyConfig.Mode.ENFORCE;
    CallArguments arguments = new CallArguments(call.body());
    Map<String, PolicyDecision> denied = null;
    List<ApprovalRequest> approvals = null;
    Map<String, ListFilter.Listing> lists = null;
    for (JsonRpcMessage message : call.messages()) {
      if (!message.isRequest() || message.id() == null) {
        continue;
      }
      ListFilter.Listing listing = ListFilter.Listing.of(message.method());
      if (listing != null && enforce && rules.canHide()) {
        lists = lists == null ? new HashMap<>() : lists;
        lists.put(message.id(), listing);
      }
      if (!rules.enforces(message.method())) {
        continue;
      }
      PolicyInput input = input(call, message, tenant, subject, principal, arguments);
      PolicyDecision decision = rules.decide(input, metrics::evaluationError);
      metrics.decision(decision.label(), decision.rule(), tenant);
      audit(call, message, input, decision, rules);
      if (!enforce || decision.allowed()) {
        continue;
      }
      if (decision.effect() == PolicyConfig.Effect.DENY) {
        denied = denied == null ? new LinkedHashMap<>() : denied;
        denied.put(message.id(), decision);
      } else {
        approvals = approvals == null ? new ArrayList<>() : approvals;
        approvals.add(
            new ApprovalRequest(
                message.id(),
                decision.rule(),
                rules.version(),
                tenant,
                subject,
                message.method(),
                input.target(),
                arguments.arguments(message.id())));
      }
    }
    if (lists != null) {
      call.rewriteAnswer(new ListFilter(rules, tenant, subject, lists));
    }
    if (denied != null) {
      if (!call.batch()) {
        return Future.succeededFuture(
            Outcome.refused(rejection(denied.values().iterator().next())));
      }
      Map<String, String> answers = new LinkedHashMap<>();
      denied.forEach((id, d) -> answers.put(id, BatchSplit.error(call, id, rejection(d))));
      BatchSplit split = BatchSplit.of(call, answers);
      if (split.nothingLeft()) {
        return Future.succeededFuture(split.answerAlone());
      }
      split.apply(call);
    }
    if (approvals != null) {
      call.put(ApprovalRequest.KEY, new ApprovalRequest.Needed(approvals));
    }
    return next.proceed();
  }

  private PolicyInput input(
      McpCall call,
      JsonRpcMessage message,
      String tenant,
      String subject,
      Principal principal,
      CallArguments arguments) {
    TargetKind kind = message.targetKind();
    String target = message.target();
    if (target != null
        && target.length() >= JsonRpcParser.MAX_FIELD_CHARS
        && kind.param() != null) {
      // The message model caps its strings: decide on the name as the server would read it.
      String full = arguments.param(message.id(), kind.param());
      target = full != null ? full : target;
    }
    String id = message.id();
    return new PolicyInput(
        tenant,
        subject,
        principal == null ? Map.of() : principal.claims(),
        message.method(),
        kind,
        target == null ? "" : target,
        () -> CelValues.map(arguments.arguments(id)),
        clock.instant());
  }

  static Rejection rejection(PolicyDecision decision) {
    return Rejection.of(
        ErrorCode.POLICY_DENIED,
        "denied by policy rule " + decision.rule(),
        Map.of("rule", decision.rule()));
  }

  private void audit(
      McpCall call,
      JsonRpcMessage message,
      PolicyInput input,
      PolicyDecision decision,
      RuleSet rules) {
    AuditEvent event =
        AuditEvent.of(AuditEvent.Type.POLICY_DECISION)
            .call(call)
            .with("decision", decision.label())
            .with("rule", decision.rule())
            .with("mode", rules.mode().spelling())
            .with("policyVersion", rules.version())
            .with("method", message.method())
            .with("target", input.target().isEmpty() ? null : input.target())
            .with("rpcId", message.id());
    if (decision.effect() == PolicyConfig.Effect.DENY) {
      event.warning();
    }
    audit.write(event);
  }

  private PolicyPlan plan(AgentConfig current) {
    PolicyPlan p = plan;
    if (p == null || !p.compiledFrom(current)) {
      p = new PolicyPlan(current);
      plan = p;
    }
    return p;
  }

  private static Set<String> configuredTenants(AgentConfig config) {
    Set<String> ids = new java.util.HashSet<>();
    for (TenantConfig tenant : config.tenants()) {
      ids.add(tenant.id());
    }
    return ids;
  }
}
