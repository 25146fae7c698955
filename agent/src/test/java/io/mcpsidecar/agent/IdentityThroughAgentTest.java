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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Identity through a real agent: JWTs against a real JWKS endpoint (WireMock), API keys, the
 * trusted gateway header, the 401 challenge and the RFC 9728 metadata the agent serves itself, and
 * sessions bound to the subject that opened them.
 */
class IdentityThroughAgentTest {

  static final String ISSUER = "https://login.example.com/";
  static final String AUDIENCE = "https://mcp.example.com/mcp";
  static final String TOOLS_CALL =
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";
  static final String INITIALIZE =
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
          + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

  static final TestTokens.SigningKey KEY = TestTokens.rsa("k1");
  static final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static WireMockServer idp;
  static StubUpstream upstream;
  static Agent agent;
  static Agent behindGateway;

  @BeforeAll
  static void start() throws Exception {
    idp = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    idp.start();
    idp.stubFor(
        get(urlEqualTo("/jwks.json"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(TestTokens.jwks(KEY))));
    upstream = new StubUpstream();
    String identity =
        "identity:\n"
            + "  jwt:\n    enabled: true\n    jwksUrl: "
            + idp.baseUrl()
            + "/jwks.json\n    issuer: "
            + ISSUER
            + "\n    audiences: ["
            + AUDIENCE
            + "]\n    jwksTimeout: 10s\n"
            + "  apiKeys:\n"
            + "    - {key: plain-key-1, tenant: ops, subject: ops-bot}\n"
            + "    - {key: \"sha256:"
            + sha256("ci-secret")
            + "\", tenant: ci}\n"
            + "  anonymous: {allowed: false}\n"
            + "  resourceMetadata: {authorizationServers: ["
            + ISSUER
            + "]}\n";
    agent =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                identity + "  trustedHeader: {enabled: true, sourceCidrs: [10.0.0.0/8]}\n"));
    behindGateway =
        TestAgents.start(
            TestAgents.config(
                upstream.url(),
                "identity:\n  anonymous: {allowed: false}\n"
                    + "  trustedHeader: {enabled: true, sourceCidrs: [127.0.0.0/8]}\n"));
  }

  @AfterAll
  static void stop() {
    TestAgents.stop(agent);
    TestAgents.stop(behindGateway);
    upstream.close();
    idp.stop();
  }

  @BeforeEach
  void answerOk() {
    upstream.received().clear();
    upstream.handle(
        req -> {
          var response = req.response().putHeader("Content-Type", "application/json");
          if (req.getHeader("Mcp-Session-Id") == null) {
            response.putHeader("Mcp-Session-Id", "session-of-" + req.getHeader("X-Request-Id"));
          }
          response.end("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}");
        });
  }

  static String sha256(String value) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  static String token(String subject, Instant expires) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("sub", subject);
    claims.put("tenant", "acme");
    claims.put("exp", expires.getEpochSecond());
    return TestTokens.sign(KEY, claims);
  }

  static String token(String subject) {
    return token(subject, Instant.now().plusSeconds(300));
  }

  static HttpResponse<String> post(Agent to, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestAgents.mcpUrl(to)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> fetch(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }

  String base() {
    return "http://127.0.0.1:" + agent.mcpPort();
  }

  @Test
  void refusesACallWithoutCredentialsWithAChallengeToTheMetadata() throws Exception {
    HttpResponse<String> response = post(agent, TOOLS_CALL);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue(
            "Bearer resource_metadata=\"" + base() + "/.well-known/oauth-protected-resource/mcp\"");
    assertThat(new JsonObject(response.body()).getInteger("id")).isEqualTo(7);
    assertThat(error(response).getInteger("code")).isEqualTo(-32010);
    assertThat(error(response).getJsonObject("data").getString("reason")).isEqualTo("missing");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void servesTheProtectedResourceMetadataItself() throws Exception {
    HttpResponse<String> pathed = fetch(base() + "/.well-known/oauth-protected-resource/mcp");
    HttpResponse<String> root = fetch(base() + "/.well-known/oauth-protected-resource");

    assertThat(pathed.statusCode()).isEqualTo(200);
    assertThat(pathed.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonObject doc = new JsonObject(pathed.body());
    assertThat(doc.getString("resource")).isEqualTo(base() + "/mcp");
    assertThat(doc.getJsonArray("authorization_servers").getList()).containsExactly(ISSUER);
    assertThat(new JsonObject(root.body()).getString("resource")).isEqualTo(base());
    assertThat(upstream.received()).as("never proxied").isEmpty();
  }

  @Test
  void leavesTheMetadataToTheServerWhenTheAgentChecksNoCredentials() throws Exception {
    Agent plain = TestAgents.start(upstream.url());
    try {
      fetch("http://127.0.0.1:" + plain.mcpPort() + "/.well-known/oauth-protected-resource");

      assertThat(upstream.received())
          .extracting(StubUpstream.Received::uri)
          .containsExactly("/.well-known/oauth-protected-resource");
    } finally {
      TestAgents.stop(plain);
    }
  }

  @Test
  void letsAValidTokenThroughWithoutForwardingIt() throws Exception {
    HttpResponse<String> response =
        post(agent, TOOLS_CALL, "Authorization", "Bearer " + token("ada"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(1);
    assertThat(upstream.received().get(0).headers().get("Authorization")).isNull();
  }

  @Test
  void refusesAnExpiredTokenAsInvalid() throws Exception {
    HttpResponse<String> response =
        post(
            agent,
            TOOLS_CALL,
            "Authorization",
            "Bearer " + token("ada", Instant.now().minusSeconds(3600)));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("error=\"invalid_token\"");
    assertThat(error(response).getJsonObject("data").getString("reason")).isEqualTo("expired");
    assertThat(upstream.received()).isEmpty();
  }

  @Test
  void mapsApiKeysToTheirTenants() throws Exception {
    assertThat(post(agent, TOOLS_CALL, "X-API-Key", "plain-key-1").statusCode()).isEqualTo(200);
    assertThat(post(agent, TOOLS_CALL, "Authorization", "Bearer ci-secret").statusCode())
        .as("a key configured by its hash")
        .isEqualTo(200);
    HttpResponse<String> unknown = post(agent, TOOLS_CALL, "X-API-Key", "guess");

    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(error(unknown).getJsonObject("data").getString("reason"))
        .isEqualTo("unknown_api_key");
    assertThat(upstream.received()).hasSize(2);
    assertThat(upstream.received()).allMatch(r -> r.headers().get("X-API-Key") == null);
  }

  @Test
  void bindsASessionToTheSubjectThatOpenedIt() throws Exception {
    HttpResponse<String> opened =
        post(agent, INITIALIZE, "Authorization", "Bearer " + token("ada"));
    String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();

    HttpResponse<String> owner =
        post(
            agent,
            TOOLS_CALL,
            "Authorization",
            "Bearer " + token("ada"),
            "Mcp-Session-Id",
            session);
    HttpResponse<String> intruder =
        post(
            agent,
            TOOLS_CALL,
            "Authorization",
            "Bearer " + token("bob"),
            "Mcp-Session-Id",
            session);

    assertThat(owner.statusCode()).isEqualTo(200);
    assertThat(intruder.statusCode()).isEqualTo(404);
    assertThat(error(intruder).getInteger("code")).isEqualTo(-32017);
    assertThat(upstream.received()).hasSize(2);
  }

  @Test
  void believesTheGatewayHeaderOnlyFromTheGatewaysNetwork() throws Exception {
    assertThat(post(behindGateway, TOOLS_CALL, "X-Mcp-Tenant", "acme").statusCode()).isEqualTo(200);

    HttpResponse<String> spoofed = post(agent, TOOLS_CALL, "X-Mcp-Tenant", "acme");

    assertThat(spoofed.statusCode()).isEqualTo(401);
    assertThat(error(spoofed).getJsonObject("data").getString("reason"))
        .isEqualTo("untrusted_source");
  }

  @Test
  void refusesAGatewaySubjectThatIsNoPlainId() throws Exception {
    assertThat(
            post(behindGateway, TOOLS_CALL, "X-Mcp-Tenant", "acme", "X-Mcp-Subject", "ada@x.io")
                .statusCode())
        .isEqualTo(200);

    for (String subject : new String[] {"ada lovelace", "\"ada\"", "ada;drop", "a".repeat(257)}) {
      HttpResponse<String> refused =
          post(behindGateway, TOOLS_CALL, "X-Mcp-Tenant", "acme", "X-Mcp-Subject", subject);

      assertThat(refused.statusCode()).as(subject).isEqualTo(401);
      assertThat(error(refused).getInteger("code")).isEqualTo(-32010);
      assertThat(error(refused).getJsonObject("data").getString("reason"))
          .isEqualTo("invalid_subject");
    }
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void countsIdentityFailuresByReason() throws Exception {
    post(agent, TOOLS_CALL, "X-API-Key", "nope");

    String metrics = fetch("http://127.0.0.1:" + agent.adminPort() + "/metrics").body();

    assertThat(metrics).contains("mcp_sidecar_identity_failures_total{reason=\"unknown_api_key\"}");
  }
}
