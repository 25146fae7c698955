package io.mcpsidecar.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpsidecar.agent.identity.TestTokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conditions over a verified JWT's claims through a real agent: strings, lists, nested objects,
 * numbers and time claims, and a claim the token lacks (fail closed).
 */
class PolicyClaimsThroughAgentTest {

  static final String ISSUER = "https://login.example.com/";
  static final String AUDIENCE = "https://mcp.example.com/mcp";
  static final TestTokens.SigningKey KEY = TestTokens.rsa("k1");
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static WireMockServer idp;
  static StubUpstream upstream;
  static Agent agent;

  @BeforeAll
  static void start() {
    idp = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    idp.start();
    idp.stubFor(
        get(urlEqualTo("/jwks.json"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(TestTokens.jwks(KEY))));
    upstream = new StubUpstream();
    upstream.handle(
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
    agent =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "identity:\n"
                    + "  jwt:\n    enabled: true\n    jwksUrl: "
                    + idp.baseUrl()
                    + "/jwks.json\n    issuer: "
                    + ISSUER
                    + "\n    audiences: ["
                    + AUDIENCE
                    + "]\n    jwksTimeout: 10s\n"
                    + "  anonymous: {allowed: false}\n"
                    + "policy:\n  default: deny\n  rules:\n"
                    + "    - {id: admins, effect: allow, tools: [wipe],"
                    + " when: 'claims.role == \"admin\"'}\n"
                    + "    - {id: ops-group, effect: allow, tools: [restart],"
                    + " when: '\"ops\" in claims.groups'}\n"
                    + "    - {id: gold, effect: allow, tools: [export],"
                    + " when: 'claims.org.tier == \"gold\" && claims.org.seats >= 10'}\n"
                    + "    - {id: fresh-token, effect: allow, tools: [pay],"
                    + " when: 'int(now) - claims.iat < 600'}\n"
                    + "    - {id: subject-own, effect: allow, tools: [read],"
                    + " when: 'subject == claims.sub && tenant == \"acme\"'}\n"));
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    upstream.close();
    idp.stop();
  }

  static String token(Map<String, Object> extra) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("sub", "ada");
    claims.put("tenant", "acme");
    claims.put("iat", Instant.now().getEpochSecond());
    claims.put("exp", Instant.now().plusSeconds(300).getEpochSecond());
    claims.putAll(extra);
    return TestTokens.sign(KEY, claims);
  }

  static HttpResponse<String> call(String tool, Map<String, Object> claims) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(agent)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", "Bearer " + token(claims))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\""
                        + tool
                        + "\",\"arguments\":{}}}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String rule(HttpResponse<String> response) {
    return new JsonObject(response.body())
        .getJsonObject("error")
        .getJsonObject("data")
        .getString("rule");
  }

  @Test
  void aStringClaimDecides() throws Exception {
    assertThat(call("wipe", Map.of("role", "admin")).statusCode()).isEqualTo(200);
    HttpResponse<String> analyst = call("wipe", Map.of("role", "analyst"));
    assertThat(analyst.statusCode()).isEqualTo(200);
    assertThat(rule(analyst)).isEqualTo("default");
  }

  @Test
  void aListClaimDecides() throws Exception {
    assertThat(call("restart", Map.of("groups", List.of("dev", "ops"))).statusCode())
        .isEqualTo(200);
    assertThat(call("restart", Map.of("groups", List.of("dev"))).statusCode()).isEqualTo(200);
  }

  @Test
  void aNestedObjectClaimWithANumberDecides() throws Exception {
    assertThat(call("export", Map.of("org", Map.of("tier", "gold", "seats", 12))).statusCode())
        .isEqualTo(200);
    assertThat(call("export", Map.of("org", Map.of("tier", "gold", "seats", 3))).statusCode())
        .isEqualTo(200);
  }

  @Test
  void timeClaimsAreSecondsAndCompareWithNow() throws Exception {
    assertThat(call("pay", Map.of()).statusCode()).isEqualTo(200);
    assertThat(call("pay", Map.of("iat", Instant.now().minusSeconds(3600).getEpochSecond())))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
  }

  @Test
  void theSubjectAndTenantVariablesComeFromIdentity() throws Exception {
    assertThat(call("read", Map.of()).statusCode()).isEqualTo(200);
  }

  @Test
  void aClaimTheTokenLacksDoesNotAllow() throws Exception {
    HttpResponse<String> noRole = call("wipe", Map.of());
    assertThat(noRole.statusCode()).isEqualTo(200);
    assertThat(rule(noRole)).isEqualTo("default");
    assertThat(RawHttp.metric(agent, "mcp_sidecar_policy_evaluation_errors_total{rule=\"admins\"}"))
        .isGreaterThanOrEqualTo(1.0);
  }
}
