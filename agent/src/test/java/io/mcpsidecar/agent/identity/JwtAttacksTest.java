package io.mcpsidecar.agent.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mcpsidecar.agent.TestClock;
import io.mcpsidecar.config.JwtConfig;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tokens attackers send, against a real JWKS endpoint (WireMock) and a hand-moved clock: each
 * one is refused with the reason a client is told, and none makes the agent fetch a key from
 * anywhere but the configured key set.
 */
class JwtAttacksTest {

  static final String ISSUER = "https://login.example.com/";
  static final String AUDIENCE = "https://mcp.example.com/mcp";
  static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  static WireMockServer idp;
  static Vertx vertx;
  static TestTokens.SigningKey rsa = TestTokens.rsa("rsa-1");
  static TestTokens.SigningKey ec = TestTokens.ec("ec-1");
  static TestTokens.SigningKey ed = TestTokens.ed25519("ed-1");
  static TestTokens.SigningKey weak = TestTokens.rsa("weak-1", 1024);
  static TestTokens.SigningKey attacker = TestTokens.rsa("evil-1");

  TestClock clock;
  JwtAuthenticator authenticator;

  @BeforeAll
  static void startIdp() {
    idp = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    idp.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopIdp() throws Exception {
    idp.stop();
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void publish() {
    idp.resetAll();
    idp.stubFor(
        get(urlEqualTo("/jwks.json"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(TestTokens.jwks(rsa, ec, ed, weak))));
    idp.stubFor(
        get(urlEqualTo("/evil.json"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(TestTokens.jwks(attacker))));
    clock = new TestClock(NOW);
    authenticator = new JwtAuthenticator(new JwksCache(vertx.createHttpClient(), clock), clock);
  }

  JwtConfig config() {
    return new JwtConfig(
        true,
        idp.baseUrl() + "/jwks.json",
        ISSUER,
        List.of(AUDIENCE),
        List.of("RS256", "ES256", "EdDSA"),
        Duration.ofSeconds(60),
        "tenant",
        "sub",
        Duration.ofMinutes(10),
        Duration.ofSeconds(10));
  }

  static Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("sub", "ada");
    claims.put("tenant", "acme");
    claims.put("exp", NOW.plusSeconds(300).getEpochSecond());
    return claims;
  }

  static Map<String, Object> claims(String key, Object value) {
    Map<String, Object> claims = claims();
    claims.put(key, value);
    return claims;
  }

  IdentityResult verify(String token) throws Exception {
    return authenticator.authenticate(token, config()).get(5, TimeUnit.SECONDS);
  }

  static IdentityResult failed(IdentityFailure failure) {
    return IdentityResult.failed(failure);
  }

  static final IdentityResult ADA = IdentityResult.of(new Identity("acme", "ada", "jwt"));

  static String header(String json) {
    return B64.encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void acceptsAnEd25519TokenVerifiedWithTheJdk() throws Exception {
    assertThat(verify(TestTokens.sign(ed, claims()))).isEqualTo(ADA);
  }

  @Test
  void refusesAlgNoneInAnySpelling() throws Exception {
    assertThat(verify(TestTokens.unsigned("rsa-1", claims())))
        .isEqualTo(failed(IdentityFailure.ALGORITHM_NOT_ALLOWED));
    for (String none : new String[] {"None", "NONE", "nOnE"}) {
      String token =
          header("{\"alg\":\"" + none + "\",\"kid\":\"rsa-1\"}")
              + "."
              + TestTokens.encode(TestTokens.json(claims()))
              + ".";
      assertThat(verify(token)).as(none).isEqualTo(failed(IdentityFailure.ALGORITHM_NOT_ALLOWED));
    }
  }

  @Test
  void refusesHs256SignedWithTheRsaPublicKeyAsSecret() throws Exception {
    assertThat(verify(TestTokens.hmacWithPublicKey(rsa, claims())))
        .isEqualTo(failed(IdentityFailure.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void refusesUnknownAndInjectedKeyIds() throws Exception {
    for (String kid : new String[] {"nobody", "../../jwks.json", "rsa-1' OR '1'='1", ""}) {
      String token =
          TestTokens.signWithHeader(
              attacker, "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", TestTokens.json(claims()));
      assertThat(verify(token)).as(kid).isEqualTo(failed(IdentityFailure.UNKNOWN_KEY));
    }
    String ownKid =
        TestTokens.signWithHeader(
            attacker, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", TestTokens.json(claims()));
    assertThat(verify(ownKid)).isEqualTo(failed(IdentityFailure.BAD_SIGNATURE));
  }

  @Test
  void refusesCriticalHeaderExtensionsEvenWhenSigned() throws Exception {
    String crit =
        TestTokens.signWithHeader(
            rsa,
            "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"],\"exp\":1}",
            TestTokens.json(claims()));
    String unencoded =
        TestTokens.signWithHeader(
            rsa,
            "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"b64\":false,\"crit\":[\"b64\"]}",
            TestTokens.json(claims()));

    assertThat(verify(crit)).isEqualTo(failed(IdentityFailure.MALFORMED));
    assertThat(verify(unencoded)).isEqualTo(failed(IdentityFailure.MALFORMED));
  }

  @Test
  void neverTakesAKeyFromTheTokenItself() throws Exception {
    String jwk = TestTokens.jwk(attacker);
    String evil = idp.baseUrl() + "/evil.json";
    String[] headers = {
      "{\"alg\":\"RS256\",\"kid\":\"evil-1\",\"jku\":\"" + evil + "\"}",
      "{\"alg\":\"RS256\",\"kid\":\"evil-1\",\"x5u\":\"" + evil + "\"}",
      "{\"alg\":\"RS256\",\"kid\":\"evil-1\",\"jwk\":" + jwk + "}",
      "{\"alg\":\"RS256\",\"jwk\":" + jwk + "}",
    };
    for (String h : headers) {
      String token = TestTokens.signWithHeader(attacker, h, TestTokens.json(claims()));
      assertThat(verify(token))
          .as(h)
          .isIn(failed(IdentityFailure.UNKNOWN_KEY), failed(IdentityFailure.BAD_SIGNATURE));
    }
    idp.verify(0, getRequestedFor(urlEqualTo("/evil.json")));
  }

  @Test
  void refusesEncryptedAndNestedTokens() throws Exception {
    String jwe =
        header("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"rsa-1\"}")
            + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA";
    String jweHeaderInThreeParts =
        header("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"rsa-1\"}") + ".AAAA.AAAA";
    String inner = TestTokens.sign(rsa, claims());
    String nested =
        TestTokens.signWithHeader(
            rsa, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"cty\":\"JWT\"}", "\"" + inner + "\"");
    String nestedAsClaims =
        TestTokens.signWithHeader(rsa, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", inner);

    assertThat(verify(jwe)).isEqualTo(failed(IdentityFailure.MALFORMED));
    assertThat(verify(jweHeaderInThreeParts)).isEqualTo(failed(IdentityFailure.MALFORMED));
    assertThat(verify(nested)).isEqualTo(failed(IdentityFailure.MALFORMED));
    assertThat(verify(nestedAsClaims)).isEqualTo(failed(IdentityFailure.MALFORMED));
  }

  @Test
  void refusesATokenSignedWithAWeakRsaKeyThatTheProviderPublishes() throws Exception {
    assertThat(verify(TestTokens.sign(weak, claims())))
        .isEqualTo(failed(IdentityFailure.UNKNOWN_KEY));
  }

  @Test
  void refusesAnAllZeroEcdsaSignature() throws Exception {
    String token = TestTokens.sign(ec, claims());
    String forged =
        token.substring(0, token.lastIndexOf('.') + 1) + B64.encodeToString(new byte[64]);

    assertThat(verify(forged)).isEqualTo(failed(IdentityFailure.BAD_SIGNATURE));
  }

  @Test
  void acceptsExpiryUpToTheSkewAndNotOneMillisecondMore() throws Exception {
    String token = TestTokens.sign(rsa, claims("exp", NOW.getEpochSecond()));
    clock.advance(Duration.ofSeconds(60));
    assertThat(verify(token)).isEqualTo(ADA);

    clock.advance(Duration.ofMillis(1));
    assertThat(verify(token))
        .as("remembered, yet expired")
        .isEqualTo(failed(IdentityFailure.EXPIRED));
    assertThat(verify(TestTokens.sign(rsa, claims("exp", NOW.getEpochSecond()))))
        .isEqualTo(failed(IdentityFailure.EXPIRED));
  }

  @Test
  void acceptsNotBeforeFromTheSkewOnAndNotOneMillisecondEarlier() throws Exception {
    String token = TestTokens.sign(rsa, claims("nbf", NOW.plusSeconds(120).getEpochSecond()));
    clock.advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(verify(token)).isEqualTo(failed(IdentityFailure.NOT_YET_VALID));

    clock.advance(Duration.ofMillis(1));
    assertThat(verify(token)).isEqualTo(ADA);
  }

  @Test
  void refusesAnOversizedTokenBeforeLookingAtIt() throws Exception {
    String fits = TestTokens.sign(rsa, claims("pad", "p".repeat(10_000)));
    String tooLong = TestTokens.sign(rsa, claims("pad", "p".repeat(13_000)));
    assertThat(tooLong.length()).isGreaterThan(JwtAuthenticator.MAX_LENGTH);

    assertThat(verify(fits)).isEqualTo(ADA);
    assertThat(verify(tooLong)).isEqualTo(failed(IdentityFailure.MALFORMED));
  }

  @Test
  void refusesDuplicateClaimsAndDeeplyNestedHeaders() throws Exception {
    String twoTenants =
        TestTokens.json(claims())
            .replace("\"tenant\":\"acme\"", "\"tenant\":\"acme\",\"tenant\":\"globex\"");
    String duplicate =
        TestTokens.signWithHeader(rsa, "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", twoTenants);
    String deep =
        TestTokens.signWithHeader(
            rsa,
            "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":"
                + "[".repeat(5000)
                + "]".repeat(5000)
                + "}",
            TestTokens.json(claims()));

    assertThat(verify(duplicate)).isEqualTo(failed(IdentityFailure.MALFORMED));
    assertThat(verify(deep)).isEqualTo(failed(IdentityFailure.MALFORMED));
  }
}
