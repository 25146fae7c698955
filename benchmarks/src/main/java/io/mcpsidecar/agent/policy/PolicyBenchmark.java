package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.audit.AuditSink;
import io.mcpsidecar.agent.mcp.JsonRpcMessage;
import io.mcpsidecar.agent.transport.BenchCalls;
import io.mcpsidecar.agent.transport.McpCall;
import io.mcpsidecar.agent.transport.Principal;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One policy decision over a rule set of 20 rules, on the benchmark's 1 KiB {@code tools/call} of
 * {@code search_documents}: {@link #decideNamesOnly} with rules that decide on names alone (the
 * common case: globs over tenants, subjects and tools; every rule is looked at, none matches, the
 * default allows), {@link #decideWithCondition} with the same set plus one deny rule whose CEL
 * condition reads the call's arguments (evaluated on every call), and {@link #stage} the policy
 * stage's whole per-call work with the rules of {@code benchmarks/configs/all-features.yaml}
 * (decision, metric, audit event). It lives in the agent's package to reach package-private
 * classes.
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PolicyBenchmark {

  /** 20 rules: none selects tenant bench's call to search_documents. */
  static String twentyRules(String extra) {
    StringBuilder yaml = new StringBuilder("policy:\n  default: allow\n  rules:\n");
    for (int i = 0; i < 6; i++) {
      yaml.append("    - {id: trial-")
          .append(i)
          .append(", effect: deny, tenants: [\"trial-")
          .append(i)
          .append("-*\"], tools: [\"write_*\", \"delete_*\"]}\n");
    }
    for (int i = 0; i < 6; i++) {
      yaml.append("    - {id: admin-")
          .append(i)
          .append(", effect: deny, subjects: [\"intern-")
          .append(i)
          .append("\"], tools: [\"admin_")
          .append(i)
          .append("_*\"]}\n");
    }
    for (int i = 0; i < 4; i++) {
      yaml.append("    - {id: prompts-")
          .append(i)
          .append(", effect: deny, prompts: [\"internal_")
          .append(i)
          .append("*\"]}\n");
    }
    for (int i = 0; i < 3; i++) {
      yaml.append("    - {id: secrets-")
          .append(i)
          .append(", effect: deny, resources: [\"file:///secrets/")
          .append(i)
          .append("/*\"]}\n");
    }
    yaml.append(extra);
    return yaml.toString();
  }

  static final String NAMES_ONLY =
      twentyRules("    - {id: payments, effect: approve, tools: [transfer, refund]}\n");

  static final String WITH_CONDITION =
      twentyRules(
          "    - {id: no-etc, effect: deny, tools: [\"search_*\"],"
              + " when: 'has(args.path) && args.path.startsWith(\"/etc/\")'}\n");

  private RuleSet namesOnly;
  private RuleSet withCondition;
  private PolicyInput input;
  private PolicyStage stage;
  private McpCall call;
  private final RuleSet.Listener errors = rule -> {};

  static AgentConfig config(String policy) {
    String yaml = "upstream:\n  url: http://127.0.0.1:8080/mcp\n" + policy;
    ConfigResult result = ConfigLoader.parse(yaml);
    if (result instanceof ConfigResult.Invalid invalid) {
      throw new IllegalArgumentException(invalid.violations().toString());
    }
    return ((ConfigResult.Valid) result).config();
  }

  @Setup
  public void setUp() {
    namesOnly = new PolicyPlan(config(NAMES_ONLY)).ruleSetOf("bench");
    withCondition = new PolicyPlan(config(WITH_CONDITION)).ruleSetOf("bench");
    AgentConfig config = config(WITH_CONDITION);
    call = BenchCalls.toolsCall(config);
    call.principal(new Principal("bench", "load-generator", Principal.Credential.API_KEY, null));
    JsonRpcMessage message = call.firstMessage();
    CallArguments arguments = new CallArguments(call.body());
    String id = message.id();
    // The call's own input, built once: what a decision adds is measured.
    Map<String, Object> args = CelValues.map(arguments.arguments(id));
    input =
        new PolicyInput(
            "bench",
            "load-generator",
            Map.of(),
            message.method(),
            message.targetKind(),
            message.target(),
            () -> args,
            Instant.now());
    stage =
        new PolicyStage(
            () -> config,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new AuditSink(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
            Clock.systemUTC());
    if (!namesOnly.decide(input, errors).allowed()
        || !withCondition.decide(input, errors).allowed()) {
      throw new IllegalStateException("the benchmark's call must be allowed");
    }
  }

  @Benchmark
  public PolicyDecision decideNamesOnly() {
    return namesOnly.decide(input, errors);
  }

  @Benchmark
  public PolicyDecision decideWithCondition() {
    return withCondition.decide(input, errors);
  }

  @Benchmark
  public Future<?> stage() {
    return stage.handle(call, () -> Future.succeededFuture(null));
  }
}
