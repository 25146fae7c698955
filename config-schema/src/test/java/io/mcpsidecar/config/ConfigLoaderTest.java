package io.mcpsidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  static final String MINIMAL = "upstream:\n  url: http://127.0.0.1:8080/mcp\n";

  static ConfigResult.Valid valid(String yaml) {
    return valid(yaml, Map.of());
  }

  static ConfigResult.Valid valid(String yaml, Map<String, String> env) {
    ConfigResult result = ConfigLoader.parse(yaml, env);
    assertThat(result).isInstanceOf(ConfigResult.Valid.class);
    return (ConfigResult.Valid) result;
  }

  static List<Violation> violations(String yaml) {
    ConfigResult result = ConfigLoader.parse(yaml, Map.of());
    assertThat(result).isInstanceOf(ConfigResult.Invalid.class);
    return ((ConfigResult.Invalid) result).violations();
  }

  @Test
  void appliesTheSchemaDefaultsToAMinimalConfig() {
    AgentConfig config = valid(MINIMAL).config();

    assertThat(config.listen())
        .isEqualTo(
            new ListenConfig(
                "0.0.0.0",
                ListenConfig.DEFAULT_PORT,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                1024,
                Duration.ofSeconds(60),
                32L * 1024 * 1024,
                1024,
                0));
    assertThat(config.admin())
        .isEqualTo(new AdminConfig("0.0.0.0", AdminConfig.DEFAULT_PORT, new Secret("")));
    assertThat(config.upstream())
        .isEqualTo(
            new UpstreamConfig(
                URI.create("http://127.0.0.1:8080/mcp"),
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                4096,
                1024,
                Duration.ofSeconds(5)));
    assertThat(config.edge())
        .isEqualTo(new EdgeConfig(4L * 1024 * 1024, List.of(), 100, 16384, 100, 256));
    assertThat(config.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.logging().level()).isEqualTo(LoggingConfig.Level.INFO);
    assertThat(config.logging().accessLog()).isTrue();
    assertThat(config.logging().arguments().enabled()).isFalse();
    assertThat(config.logging().arguments().redact())
        .contains(Glob.of("*password*").ignoringCase(), Glob.of("*token*").ignoringCase());
    assertThat(config.telemetry().tracing().enabled()).isFalse();
    assertThat(config.telemetry().tracing().protocol()).isEqualTo(TracingConfig.Protocol.GRPC);
    assertThat(config.telemetry().tracing().samplingRatio()).isEqualTo(1.0);
    assertThat(config.telemetry().metrics().maxTargets()).isEqualTo(200);
  }

  @Test
  void bindsTheResilienceSettingsOfTheUpstream() {
    AgentConfig config =
        valid(
                MINIMAL
                    + """
                  timeouts:
                    methods: [{match: "tools/list", timeout: 5s}]
                    tools: [{match: "report_*", timeout: 2m}]
                  circuitBreaker: {enabled: true, window: 8, minimumCalls: 4, failureRate: 50,
                                   slowCall: {duration: 5s, rate: 80}, openFor: 3s, halfOpenCalls: 2}
                  bulkhead: {maxInFlight: 2, queue: 1, queueTimeout: 250ms}
                  fallback: {lists: true}
                  retries: {budgetPercent: 10}
                """)
            .config();

    UpstreamConfig up = config.upstream();
    assertThat(up.timeouts().methods())
        .containsExactly(
            new UpstreamConfig.TimeoutRule(Glob.of("tools/list"), Duration.ofSeconds(5)));
    assertThat(up.timeouts().tools().get(0).match().matches("report_daily")).isTrue();
    assertThat(up.circuitBreaker())
        .isEqualTo(
            new UpstreamConfig.CircuitBreaker(
                true,
                8,
                4,
                50,
                new UpstreamConfig.SlowCall(Duration.ofSeconds(5), 80),
                Duration.ofSeconds(3),
                2));
    assertThat(up.bulkhead()).isEqualTo(new UpstreamConfig.Bulkhead(2, 1, Duration.ofMillis(250)));
    assertThat(up.fallback()).isEqualTo(new UpstreamConfig.Fallback(true, 16L * 1024 * 1024));
    assertThat(up.retries())
        .isEqualTo(new UpstreamConfig.Retries(true, 10, 10, Duration.ofSeconds(10)));
  }

  @Test
  void bindsEveryKeyThatIsSet() {
    AgentConfig config =
        valid(
                """
                listen: {host: 127.0.0.1, port: 9100}
                admin: {host: 127.0.0.1, port: 0}
                upstream:
                  url: https://mcp.internal:8443/mcp
                  connectTimeout: 250ms
                  responseTimeout: 1h
                  maxConnections: 8
                  healthInterval: 1m
                edge:
                  maxBodyBytes: 2048
                  allowedOrigins: [https://App.Example.com:8443]
                  maxHeaderCount: 8
                  maxHeaderBytes: 1024
                  maxBatchSize: 1
                shutdown: {drainTimeout: 3s}
                logging: {level: DEBUG, accessLog: false}
                """)
            .config();

    assertThat(config.listen().host()).isEqualTo("127.0.0.1");
    assertThat(config.listen().port()).isEqualTo(9100);
    assertThat(config.admin().port()).isZero();
    assertThat(config.upstream().url()).isEqualTo(URI.create("https://mcp.internal:8443/mcp"));
    assertThat(config.upstream().connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.upstream().responseTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.upstream().healthInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.edge().allowedOrigins()).containsExactly("https://app.example.com:8443");
    assertThat(config.edge().maxBatchSize()).isEqualTo(1);
    assertThat(config.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.logging().level()).isEqualTo(LoggingConfig.Level.DEBUG);
    assertThat(config.logging().accessLog()).isFalse();
  }

  @Test
  void readsJsonAsWellAsYaml() {
    AgentConfig config =
        valid("{\"upstream\": {\"url\": \"http://127.0.0.1:1/mcp\"}, \"listen\": {\"port\": 1}}")
            .config();
    assertThat(config.listen().port()).isEqualTo(1);
  }

  @Test
  void treatsAnEmptyKeyAsUnset() {
    AgentConfig config = valid(MINIMAL + "edge:\nlogging:\n  level:\n").config();
    assertThat(config.edge().maxBodyBytes()).isEqualTo(4194304);
    assertThat(config.logging().level()).isEqualTo(LoggingConfig.Level.INFO);
  }

  @Test
  void reportsEveryViolationAtOnceInDocumentOrder() {
    List<Violation> violations =
        violations(
            """
            listen:
              port: 70000
            upstream:
              url: localhost
            edge:
              maxBodyBytes: "big"
              surprise: true
            """);

    assertThat(violations)
        .extracting(Violation::path)
        .containsExactly("listen.port", "upstream.url", "edge.maxBodyBytes", "edge.surprise");
    assertThat(violations)
        .map(Violation::toString)
        .contains(
            "upstream.url: \"localhost\" (expected: an absolute http or https URL)",
            "listen.port: 70000 (expected: a port number between 0 and 65535)");
  }

  @Test
  void namesTheAllowedKeysAndTheLikelyOneForAnUnknownKey() {
    Violation v = violations(MINIMAL + "edge:\n  maxbodybytes: 1024\n").get(0);

    assertThat(v.path()).isEqualTo("edge.maxbodybytes");
    assertThat(v.value()).isEqualTo("1024");
    assertThat(v.expected())
        .isEqualTo(
            "no such key (did you mean maxBodyBytes?); allowed: maxBodyBytes, allowedOrigins,"
                + " maxHeaderCount, maxHeaderBytes, maxBatchSize, maxSessionIdBytes");
  }

  @Test
  void requiresTheUpstreamUrlEvenWhenUpstreamIsAbsent() {
    assertThat(violations("listen:\n  port: 9000\n"))
        .map(Violation::toString)
        .containsExactly(
            "upstream.url: missing (expected: an absolute http or https URL (required))");
  }

  @Test
  void acceptsOnlyAbsoluteHttpUrlsUpstream() {
    for (String bad : List.of("localhost", "/mcp", "ftp://h/mcp", "http://", "http://a b/mcp")) {
      assertThat(violations("upstream:\n  url: \"" + bad + "\"\n"))
          .as(bad)
          .extracting(Violation::path)
          .containsExactly("upstream.url");
    }
  }

  @Test
  void reportsBrokenYamlWithLineAndColumn() {
    List<Violation> violations = violations("upstream:\n  url: [unclosed\n");

    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).path()).isEqualTo("$");
    assertThat(violations.get(0).value()).isEqualTo("unparseable YAML at line 3, column 1");
    assertThat(violations.get(0).expected())
        .contains("flow sequence at line 2, column 8", "expected ',' or ']'");
  }

  @Test
  void rejectsDuplicateKeysInsteadOfKeepingTheLast() {
    assertThat(violations(MINIMAL + "upstream:\n  url: http://other/mcp\n").get(0).expected())
        .isEqualTo("well-formed YAML without duplicate key \"upstream\"");
  }

  @Test
  void reportsAMissingFile(@TempDir Path dir) {
    Path file = dir.resolve("config.yaml");
    ConfigResult result = ConfigLoader.load(file, Map.of());
    assertThat(((ConfigResult.Invalid) result).violations())
        .map(Violation::toString)
        .containsExactly(file + ": no such file (expected: an existing, readable config file)");
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("config.yaml"), MINIMAL);
    assertThat(ConfigLoader.load(file, Map.of())).isInstanceOf(ConfigResult.Valid.class);
  }

  @Test
  void rejectsAnAdminPortEqualToTheListenPortUnlessZero() {
    assertThat(violations(MINIMAL + "listen: {port: 9100}\nadmin: {port: 9100}\n"))
        .map(Violation::toString)
        .containsExactly("admin.port: 9100 (expected: a port different from listen.port (9100))");
    valid(MINIMAL + "listen: {port: 0}\nadmin: {port: 0}\n");
  }

  @Test
  void rejectsAWildcardOriginAmongOthers() {
    assertThat(violations(MINIMAL + "edge: {allowedOrigins: [\"*\", \"https://a.example\"]}\n"))
        .map(Violation::toString)
        .containsExactly(
            "edge.allowedOrigins: [\"*\",\"https://a.example\"] (expected: either [\"*\"] alone or"
                + " a list of origins without \"*\")");
    assertThat(
            valid(MINIMAL + "edge: {allowedOrigins: [\"*\"]}\n").config().edge().allowedOrigins())
        .containsExactly("*");
  }

  @Test
  void acceptsAResponseTimeoutShorterThanTheConnectTimeout() {
    valid(MINIMAL + "  responseTimeout: 300ms\n");
  }

  @Test
  void crossFieldRulesAreReportedTogetherWithSchemaViolations() {
    assertThat(violations(MINIMAL + "listen: {port: 9901}\nlogging: {level: loud}\n"))
        .extracting(Violation::path)
        .containsExactly("logging.level", "admin.port");
  }

  @Test
  void hashIsTheSameHoweverAnEqualConfigIsWritten() {
    ConfigResult.Valid terse = valid(MINIMAL);
    ConfigResult.Valid verbose =
        valid(
            "logging: {accessLog: true}\nupstream:\n  responseTimeout: 60000ms\n"
                + "  url: http://127.0.0.1:8080/mcp\n");
    ConfigResult.Valid different = valid(MINIMAL + "  responseTimeout: 61s\n");

    assertThat(verbose.sha256()).isEqualTo(terse.sha256()).hasSize(64).matches("[0-9a-f]+");
    assertThat(different.sha256()).isNotEqualTo(terse.sha256());
  }

  @Test
  @SuppressWarnings("unchecked")
  void redactedViewShowsTheEffectiveConfigInConfigNotation() {
    Map<String, Object> view = valid(MINIMAL).redacted();

    assertThat(view)
        .containsOnlyKeys(
            "listen",
            "admin",
            "upstream",
            "edge",
            "shutdown",
            "logging",
            "telemetry",
            "identity",
            "tenants",
            "limits",
            "health",
            "policy");
    assertThat((Map<String, Object>) view.get("upstream"))
        .containsAllEntriesOf(
            Map.of(
                "url", "http://127.0.0.1:8080/mcp",
                "connectTimeout", "2s",
                "responseTimeout", "1m",
                "maxConnections", 4096,
                "streamConnections", 1024,
                "healthInterval", "5s"))
        .containsEntry("bulkhead", Map.of("maxInFlight", 0, "queue", 64, "queueTimeout", "1s"))
        .containsEntry("timeouts", Map.of("methods", List.of(), "tools", List.of()));
    assertThat(valid(MINIMAL).redactedJson()).startsWith("{\"listen\":{\"host\":\"0.0.0.0\"");
  }

  @Test
  @SuppressWarnings("unchecked")
  void closedSetValuesAreWrittenBackAsTheSchemaSpellsThem() {
    ConfigResult.Valid loaded =
        valid(
            MINIMAL
                + "limits:\n  failMode: closed\n"
                + "telemetry:\n  tracing:\n    protocol: http/protobuf\n");
    Map<String, Object> view = loaded.redacted();

    assertThat(loaded.config().limits().failMode()).isEqualTo(LimitsConfig.FailMode.CLOSED);
    assertThat((Map<String, Object>) view.get("limits"))
        .containsEntry("backend", "local")
        .containsEntry("failMode", "closed");
    assertThat(((Map<String, Object>) view.get("logging"))).containsEntry("level", "INFO");
    assertThat((Map<String, Object>) ((Map<String, Object>) view.get("telemetry")).get("tracing"))
        .containsEntry("protocol", "http/protobuf");
  }

  @Test
  void aSnapshotBuiltInCodeHasTheSameViewAndHashAsTheLoadedOne() {
    ConfigResult.Valid loaded = valid(MINIMAL);
    ConfigResult.Valid built = new ConfigResult.Valid(loaded.config());

    assertThat(built.redacted()).isEqualTo(loaded.redacted());
    assertThat(built.sha256()).isEqualTo(loaded.sha256());
  }

  @Test
  void namesTheRestartRequiredSettingsAReloadWouldChange() {
    ConfigResult.Valid before = valid(MINIMAL);
    ConfigResult.Valid after =
        valid(MINIMAL + "  maxConnections: 8\n  healthInterval: 1s\nlisten: {port: 9100}\n");

    assertThat(after.restartRequiredChanges(before))
        .containsExactly("listen.port", "upstream.maxConnections");
    assertThat(after.restartRequiredChanges(after)).isEmpty();
  }

  @Test
  void durationsRoundTripInTheirLargestExactUnit() {
    assertThat(DurationText.format(DurationText.parse("60000ms"))).isEqualTo("1m");
    assertThat(DurationText.format(DurationText.parse("90s"))).isEqualTo("90s");
    assertThat(DurationText.format(DurationText.parse("120m"))).isEqualTo("2h");
    assertThat(DurationText.format(DurationText.parse("1500ms"))).isEqualTo("1500ms");
  }

  @Test
  void tenantsInheritTheLimitSectionsTheyLeaveOut() {
    AgentConfig config =
        valid(
                MINIMAL
                    + "limits:\n  requests: {limit: 100, interval: 1m}\n  concurrency: 4\n"
                    + "  quotas: {day: 1000, month: 20000, timeZone: Europe/Paris}\n"
                    + "  tools: [{match: search_*, limit: 5}]\n"
                    + "tenants:\n  - id: acme\n    requests: {limit: 10}\n"
                    + "    quotas: {day: 50}\n")
            .config();

    TenantConfig acme = config.tenants().get(0);
    assertThat(acme.requests()).isEqualTo(new RateConfig(10, Duration.ofMinutes(1), 0));
    assertThat(acme.quotas())
        .as("a section it sets replaces the default section as a whole")
        .isEqualTo(new QuotaConfig(50, 0, "UTC"));
    assertThat(acme.concurrency()).isEqualTo(4);
    assertThat(acme.tools())
        .containsExactly(new ToolRateConfig(Glob.of("search_*"), 5, Duration.ofMinutes(1), 0));
  }
}
