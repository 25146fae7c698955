package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line an operator runs in CI before applying a ConfigMap. */
class MainTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void validatePrintsOkForAGoodConfig() throws Exception {
    Path file = dir.resolve("good.yaml");
    Files.writeString(file, "upstream:\n  url: http://127.0.0.1:8080/mcp\n");
    Run run = run("validate", file.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out().trim()).isEqualTo("ok");
  }

  @Test
  void validateListsEveryProblemAndExitsOne() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file, "listen:\n  port: 70000\nupstream:\n  url: localhost\nedge:\n  surprise: 1\n");
    Run run = run("validate", file.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("listen.port: 70000")
        .contains("upstream.url: \"localhost\" (expected: an absolute http or https URL)")
        .contains("edge.surprise");
  }

  @Test
  void validateReportsBrokenYamlAndMissingFiles() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "upstream:\n  url: [unclosed\n");
    Run broken = run("validate", file.toString());
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).contains("line");
    Run missing = run("validate", dir.resolve("nope.yaml").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.yaml");
  }

  @Test
  void refusesToStartOnAnInvalidConfigAndExplainsUsage() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "upstream:\n  url: localhost\n");
    Run start = run("--config", file.toString());
    assertThat(start.exit()).isEqualTo(1);
    assertThat(start.err()).contains("upstream.url");
    Run usage = run("--bogus");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("usage");
  }

  static final String POLICY =
      "upstream:\n  url: http://127.0.0.1:8080/mcp\n"
          + "tenants:\n  - id: trial\n    policy:\n      default: deny\n"
          + "      rules: [{id: trial-reads, effect: allow, tools: [\"read_*\"]}]\n"
          + "policy:\n  rules:\n"
          + "    - {id: no-deletes, effect: deny, tools: [\"delete_*\"]}\n"
          + "    - {id: admins-only, effect: deny, tools: [wipe], when: 'claims.role != \"admin\"'}\n"
          + "    - {id: big-payments, effect: approve, tools: [transfer],"
          + " when: 'double(args.amount) > 1000.0'}\n";

  private Run check(String... extra) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, POLICY);
    List<String> args =
        new java.util.ArrayList<>(List.of("policy", "check", "--config", file.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void policyCheckAnswersWithTheDecisionTheRuleAndItsExitCode() throws Exception {
    Run allowed =
        check(
            "--tenant",
            "acme",
            "--method",
            "tools/call",
            "--name",
            "transfer",
            "--args",
            "{\"amount\": 50}");
    assertThat(allowed.exit()).isZero();
    assertThat(allowed.out()).startsWith("allow: no rule matched, the default is allow");

    Run approval =
        check(
            "--tenant",
            "acme",
            "--method",
            "tools/call",
            "--name",
            "transfer",
            "--args",
            "{\"amount\": 5000}");
    assertThat(approval.exit()).isEqualTo(2);
    assertThat(approval.out())
        .startsWith(
            "approval required: rule big-payments (approve) selects the call and its"
                + " condition is true");

    Run denied = check("--tenant", "acme", "--method", "tools/call", "--name", "delete_all");
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.out()).startsWith("deny: rule no-deletes (deny) selects the call");

    Run ownRules = check("--tenant", "trial", "--method", "tools/call", "--name", "search");
    assertThat(ownRules.exit()).isEqualTo(1);
    assertThat(ownRules.out()).contains("default is deny").contains("tenant trial's own rules");
  }

  @Test
  void policyCheckReadsClaimsAndFailsClosedWithoutThem() throws Exception {
    Run admin =
        check(
            "--tenant",
            "acme",
            "--claims",
            "{\"role\": \"admin\"}",
            "--method",
            "tools/call",
            "--name",
            "wipe");
    assertThat(admin.exit()).isZero();
    Run noClaims = check("--tenant", "acme", "--method", "tools/call", "--name", "wipe");
    assertThat(noClaims.exit()).isEqualTo(1);
    assertThat(noClaims.out()).contains("failed to evaluate").contains("fail closed");
  }

  @Test
  void policyCheckExplainListsEveryRuleLookedAt() throws Exception {
    Run run =
        check(
            "--tenant",
            "acme",
            "--method",
            "tools/call",
            "--name",
            "transfer",
            "--args",
            "{\"amount\": 5000}",
            "--explain");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out())
        .contains("rules looked at, in order:")
        .contains("  no-deletes (deny): does not select the call -> no match")
        .contains("  admins-only (deny): does not select the call -> no match")
        .contains("  big-payments (approve): selects the call, condition true -> match")
        .contains("  default (not needed)");
  }

  @Test
  void policyCheckWithoutItsArgumentsOrWithABadConfigExitsThree() throws Exception {
    Run missing = check("--tenant", "acme");
    assertThat(missing.exit()).isEqualTo(3);
    assertThat(missing.err()).contains("missing --method").contains("usage");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        "upstream:\n  url: http://127.0.0.1:8080/mcp\npolicy:\n  rules: [{id: x, effect: deny,"
            + " when: 'args.'}]\n");
    Run invalid =
        run(
            "policy",
            "check",
            "--config",
            bad.toString(),
            "--tenant",
            "a",
            "--method",
            "tools/call");
    assertThat(invalid.exit()).isEqualTo(3);
    assertThat(invalid.err()).contains("policy.rules[0].when");
  }
}
