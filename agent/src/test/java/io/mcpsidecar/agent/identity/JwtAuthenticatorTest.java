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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JWT verification against a real JWKS endpoint (WireMock, standalone jar: the plain artifact's
 * Jetty 11 clashes with the Jetty 12 of the demo server). Tokens are signed here with keys
 * generated here; time is a hand-moved clock.
 */
class JwtAuthenticatorTest {

  static final String ISSUER = "https://login.example.com/";
  static final String AUDIENCE = "https://mcp.example.com/mcp";
  static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  static WireMockServer idp;
  static Vertx vertx;
  static TestTokens.SigningKey rsa = TestTokens.rsa("rsa-1");
  static TestTokens.SigningKey ec = TestTokens.ec("ec-1");

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
    publishKeys(TestTokens.jwks(rsa, ec));
    clock = new TestClock(NOW);
    authenticator = new JwtAuthenticator(new JwksCache(vertx.createHttpClient(), clock), clock);
  }

  @AfterEach
  void nothing() {}

  void publishKeys(String jwks) {
    idp.stubFor(
        get(urlEqualTo("/jwks.json"))
            .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(jwks)));
  }

  JwtConfig config() {
    return new JwtConfig(
        true,
        idp.baseUrl() + "/jwks.json",
        ISSUER,
        List.of(AUDIENCE),
        List.of("RS256", "ES256"),
        Duration.ofSeconds(60),
        "tenant",
        "sub",
        Duration.ofMinutes(10),
        // generous: the first fetch of a cold JVM on a loaded machine must not time out
        Duration.ofSeconds(10));
  }

  static Map<String, Object> claims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("sub", "ada");
    claims.put("tenant", "acme");
    claims.put("iat", NOW.getEpochSecond());
    claims.put("exp", NOW.plusSeconds(300).getEpochSecond());
    return claims;
  }

  static Map<String, Object> claims(String key, Object value) {
    Map<String, Object> claims = claims();
    if (value == null) {
      claims.remove(key);
    } else {
      claims.put(key, value);
    }
    return claims;
  }

  IdentityResult verify(String token) throws Exception {
    return authenticator.authenticate(token, config()).get(5, TimeUnit.SECONDS);
  }

  static IdentityResult failed(IdentityFailure failure) {
    return IdentityResult.failed(failure);
  }

  @Test
  void acceptsAnRsaSignedTokenAndTakesTenantAndSubjectFromClaims() throws Exception {
    assertThat(verify(TestTokens.sign(rsa, claims())))
        .isEqualTo(IdentityResult.of(new Identity("acme", "ada", "jwt")));
  }

  @Test
  void thePrincipalOfAVerifiedTokenCarriesItsClaims() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("groups", java.util.List.of("admins"));

    IdentityResult result = verify(TestTokens.sign(rsa, claims));

    var principal = ((IdentityResult.Resolved) result).identity().toPrincipal();
    assertThat(principal.tenant()).isEqualTo("acme");
    assertThat(principal.subject()).isEqualTo("ada");
    assertThat(principal.credential())
        .isEqualTo(io.mcpsidecar.agent.transport.Principal.Credential.JWT);
    assertThat(principal.claims()).containsEntry("groups", java.util.List.of("admins"));
    assertThat(principal.claims()).containsEntry("iss", ISSUER);
  }

  @Test
  void acceptsAnEcSignedToken() throws Exception {
    assertThat(verify(TestTokens.sign(ec, claims())))
        .isEqualTo(IdentityResult.of(new Identity("acme", "ada", "jwt")));
  }

  @Test
  void readsANestedTenantClaim() throws Exception {
    JwtConfig nested =
        new JwtConfig(
            true,
            idp.baseUrl() + "/jwks.json",
            ISSUER,
            List.of(AUDIENCE),
            List.of("RS256"),
            Duration.ofSeconds(60),
            "org.id",
            "sub",
            Duration.ofMinutes(10),
            Duration.ofSeconds(10));
    String token = TestTokens.sign(rsa, claims("org", Map.of("id", "globex")));

    assertThat(authenticator.authenticate(token, nested).get(5, TimeUnit.SECONDS))
        .isEqualTo(IdentityResult.of(new Identity("globex", "ada", "jwt")));
  }

  @Test
  void followsKeyRotationByRefetchingTheKeySetForAnUnknownKeyId() throws Exception {
    assertThat(verify(TestTokens.sign(rsa, claims()))).isInstanceOf(IdentityResult.Resolved.class);
    TestTokens.SigningKey rotated = TestTokens.rsa("rsa-2");
    publishKeys(TestTokens.jwks(rotated));
    String token = TestTokens.sign(rotated, claims());

    clock.advance(JwksCache.MIN_REFRESH.minusSeconds(1));
    assertThat(verify(token))
        .as("a refetch less than MIN_REFRESH after the last one is not made")
        .isEqualTo(failed(IdentityFailure.UNKNOWN_KEY));

    clock.advance(Duration.ofSeconds(2));
    assertThat(verify(token)).isEqualTo(IdentityResult.of(new Identity("acme", "ada", "jwt")));
    assertThat(verify(TestTokens.sign(rsa, claims())))
        .as("the retired key no longer verifies")
        .isEqualTo(failed(IdentityFailure.UNKNOWN_KEY));
    idp.verify(2, getRequestedFor(urlEqualTo("/jwks.json")));
  }

  @Test
  void refreshesAStaleKeySetInTheBackgroundWhileTheCachedKeysKeepServing() throws Exception {
    verify(TestTokens.sign(rsa, claims()));
    clock.advance(Duration.ofMinutes(11));

    assertThat(
            verify(
                TestTokens.sign(
                    rsa, claims("exp", clock.instant().plusSeconds(60).getEpochSecond()))))
        .isInstanceOf(IdentityResult.Resolved.class);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> idp.verify(2, getRequestedFor(urlEqualTo("/jwks.json"))));
  }

  @Test
  void refusesAnExpiredTokenBeyondTheClockSkew() throws Exception {
    String token = TestTokens.sign(rsa, claims("exp", NOW.minusSeconds(30).getEpochSecond()));
    assertThat(verify(token)).as("within 60s skew").isInstanceOf(IdentityResult.Resolved.class);

    clock.advance(Duration.ofSeconds(31));
    assertThat(verify(token)).isEqualTo(failed(IdentityFailure.EXPIRED));
  }

  @Test
  void refusesATokenWithoutExpiry() throws Exception {
    assertThat(verify(TestTokens.sign(rsa, claims("exp", null))))
        .isEqualTo(failed(IdentityFailure.EXPIRED));
  }

  @Test
  void refusesATokenNotYetValid() throws Exception {
    String token = TestTokens.sign(rsa, claims("nbf", NOW.plusSeconds(120).getEpochSecond()));
    assertThat(verify(token)).isEqualTo(failed(IdentityFailure.NOT_YET_VALID));

    clock.advance(Duration.ofSeconds(61));
    assertThat(verify(token)).as("within 60s skew").isInstanceOf(IdentityResult.Resolved.class);
  }

  @Test
  void refusesATokenForAnotherAudience() throws Exception {
    assertThat(verify(TestTokens.sign(rsa, claims("aud", "https://other.example.com"))))
        .isEqualTo(failed(IdentityFailure.WRONG_AUDIENCE));
    assertThat(verify(TestTokens.sign(rsa, claims("aud", List.of("a", AUDIENCE)))))
        .as("an audience list naming this server")
        .isInstanceOf(IdentityResult.Resolved.class);
  }

  @Test
  void refusesATokenFromAnotherIssuer() throws Exception {
    assertThat(verify(TestTokens.sign(rsa, claims("iss", "https://evil.example.com/"))))
        .isEqualTo(failed(IdentityFailure.WRONG_ISSUER));
  }

  @Test
  void refusesAnUnsignedTokenWithAlgNone() throws Exception {
    assertThat(verify(TestTokens.unsigned("rsa-1", claims())))
        .isEqualTo(failed(IdentityFailure.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void refusesAnHmacTokenKeyedWithTheRsaPublicKey() throws Exception {
    assertThat(verify(TestTokens.hmacWithPublicKey(rsa, claims())))
        .isEqualTo(failed(IdentityFailure.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void refusesAnRs256TokenNamingAnEcKey() throws Exception {
    TestTokens.SigningKey confused = new TestTokens.SigningKey("ec-1", "RS256", rsa.pair());
    assertThat(verify(TestTokens.sign(confused, claims())))
        .isEqualTo(failed(IdentityFailure.ALGORITHM_NOT_ALLOWED));
  }

  @Test
  void refusesATokenWhosePayloadWasChanged() throws Exception {
    String token = TestTokens.sign(rsa, claims());
    String[] parts = token.split("\\.");
    String forged =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(TestTokens.json(claims("tenant", "globex")).getBytes());
    assertThat(verify(parts[0] + "." + forged + "." + parts[2]))
        .isEqualTo(failed(IdentityFailure.BAD_SIGNATURE));
  }

  @Test
  void refusesATokenWithoutTheTenantOrSubjectClaim() throws Exception {
    assertThat(verify(TestTokens.sign(rsa, claims("tenant", null))))
        .isEqualTo(failed(IdentityFailure.MISSING_CLAIM));
    assertThat(verify(TestTokens.sign(rsa, claims("sub", null))))
        .isEqualTo(failed(IdentityFailure.MISSING_CLAIM));
  }

  @Test
  void refusesATenantClaimThatIsNoTenantId() throws Exception {
    assertThat(verify(TestTokens.sign(rsa, claims("tenant", "a b\\nc"))))
        .isEqualTo(failed(IdentityFailure.INVALID_TENANT));
  }

  @Test
  void refusesGarbage() throws Exception {
    assertThat(verify("not.a.jwt")).isEqualTo(failed(IdentityFailure.MALFORMED));
    assertThat(verify("a.b")).isEqualTo(failed(IdentityFailure.MALFORMED));
  }

  @Test
  void reportsAnUnreachableKeySetAndRetriesItAfterASecond() throws Exception {
    idp.resetAll();
    idp.stubFor(get(urlEqualTo("/jwks.json")).willReturn(aResponse().withStatus(503)));
    String token = TestTokens.sign(rsa, claims());

    assertThat(verify(token)).isEqualTo(failed(IdentityFailure.JWKS_UNAVAILABLE));
    assertThat(verify(token)).isEqualTo(failed(IdentityFailure.JWKS_UNAVAILABLE));
    idp.verify(1, getRequestedFor(urlEqualTo("/jwks.json")));

    publishKeys(TestTokens.jwks(rsa));
    clock.advance(JwksCache.RETRY_AFTER_FAILURE);
    assertThat(verify(token)).isInstanceOf(IdentityResult.Resolved.class);
  }
}
