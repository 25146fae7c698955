package io.mcpsidecar.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpsidecar.config.JwtConfig;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies JWT bearer tokens: the algorithm against the allow-list, the signature with a key from
 * the provider's key set (its type matching the algorithm), then issuer, audience, expiry and
 * not-before with the configured skew, then the tenant and subject claims. Claims are read only
 * once the signature holds. A key set is fetched again when a token names a key id it lacks.
 */
final class JwtAuthenticator {

  /** Subjects longer than this are refused as missing: they are not ids. */
  static final int MAX_SUBJECT_LENGTH = 256;

  /** Verified tokens remembered, so a client reusing its token pays for the signature once. */
  static final int MAX_REMEMBERED = 10_000;

  /** Only tokens up to this length are remembered (they are kept whole, as the key). */
  static final int MAX_REMEMBERED_LENGTH = 4096;

  private final JwksCache jwks;
  private final Clock clock;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  /**
   * A token that verified under {@code config} with a key of {@code keys}, valid from {@code nbf}
   * to {@code exp}. Once the key set is refreshed the token is verified again, so a key the
   * provider withdrew stops working within a refresh.
   */
  private record Verified(
      JwtConfig config, JsonWebKeys keys, Identity identity, double nbf, double exp) {}

  JwtAuthenticator(JwksCache jwks, Clock clock) {
    this.jwks = jwks;
    this.clock = clock;
  }

  CompletableFuture<IdentityResult> authenticate(String token, JwtConfig config) {
    Verified known = verified.get(token);
    if (known != null
        && known.config() == config
        && known.keys() == jwks.cached(config.jwksUrl())) {
      double now = clock.millis() / 1000.0;
      double skew = config.clockSkew().toMillis() / 1000.0;
      if (now > known.exp() + skew) {
        verified.remove(token);
        return failed(IdentityFailure.EXPIRED);
      }
      if (now + skew >= known.nbf()) {
        return CompletableFuture.completedFuture(IdentityResult.of(known.identity()));
      }
    }
    JsonWebToken jwt = JsonWebToken.parse(token);
    if (jwt == null) {
      return failed(IdentityFailure.MALFORMED);
    }
    JwsAlgorithm alg = JwsAlgorithm.named(jwt.algorithm());
    if (alg == null || !config.algorithms().contains(alg.name())) {
      return failed(IdentityFailure.ALGORITHM_NOT_ALLOWED); // none, HS*, anything unlisted
    }
    if (jwt.header().has("crit")) {
      return failed(IdentityFailure.MALFORMED); // no extension is understood here (RFC 7515 4.1.11)
    }
    String kid = jwt.keyId();
    return jwks.keys(config.jwksUrl(), config.jwksRefreshInterval(), config.jwksTimeout())
        .thenCompose(
            keys ->
                kid != null && !keys.hasKeyId(kid)
                    ? jwks.refreshed(config.jwksUrl(), config.jwksTimeout())
                    : CompletableFuture.completedFuture(keys))
        .thenApply(keys -> remember(token, jwt, config, keys, verified(jwt, alg, keys, config)))
        .exceptionally(err -> IdentityResult.failed(IdentityFailure.JWKS_UNAVAILABLE));
  }

  // The signature is the costly part (RSA ~0.1 ms, ECDSA ~1 ms on the JDK): a client sends the
  // same token for every call until it expires, so a verified token is checked only for time.
  private IdentityResult remember(
      String token, JsonWebToken jwt, JwtConfig config, JsonWebKeys keys, IdentityResult result) {
    if (result instanceof IdentityResult.Resolved resolved
        && token.length() <= MAX_REMEMBERED_LENGTH) {
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear(); // bounded; the next calls verify again
      }
      JsonNode nbf = jwt.claims().get("nbf");
      verified.put(
          token,
          new Verified(
              config,
              keys,
              resolved.identity(),
              nbf == null ? Double.NEGATIVE_INFINITY : nbf.asDouble(),
              jwt.claims().get("exp").asDouble()));
    }
    return result;
  }

  private IdentityResult verified(
      JsonWebToken jwt, JwsAlgorithm alg, JsonWebKeys keys, JwtConfig config) {
    String kid = jwt.keyId();
    List<JsonWebKeys.Key> candidates = keys.candidates(kid, alg);
    if (candidates.isEmpty()) {
      // A known id whose key is of another type or algorithm: an algorithm confusion attempt.
      return IdentityResult.failed(
          kid != null && keys.hasKeyId(kid)
              ? IdentityFailure.ALGORITHM_NOT_ALLOWED
              : IdentityFailure.UNKNOWN_KEY);
    }
    if (kid == null && candidates.size() > 1) {
      return IdentityResult.failed(IdentityFailure.UNKNOWN_KEY); // ambiguous without a kid
    }
    if (!alg.verify(candidates.get(0).key(), jwt.signingInput(), jwt.signature())) {
      return IdentityResult.failed(IdentityFailure.BAD_SIGNATURE);
    }
    IdentityFailure claims = checkClaims(jwt, config);
    if (claims != null) {
      return IdentityResult.failed(claims);
    }
    String tenant = text(jwt.claim(config.tenantClaim()));
    String subject = text(jwt.claim(config.subjectClaim()));
    if (tenant == null
        || subject == null
        || subject.isEmpty()
        || subject.length() > MAX_SUBJECT_LENGTH) {
      return IdentityResult.failed(IdentityFailure.MISSING_CLAIM);
    }
    if (!TenantIds.valid(tenant)) {
      return IdentityResult.failed(IdentityFailure.INVALID_TENANT);
    }
    return IdentityResult.of(new Identity(tenant, subject, "jwt"));
  }

  private IdentityFailure checkClaims(JsonWebToken jwt, JwtConfig config) {
    JsonNode iss = jwt.claims().get("iss");
    if (iss == null || !iss.isTextual() || !iss.textValue().equals(config.issuer())) {
      return IdentityFailure.WRONG_ISSUER;
    }
    if (!audienceMatches(jwt.claims().get("aud"), config.audiences())) {
      return IdentityFailure.WRONG_AUDIENCE;
    }
    double now = clock.millis() / 1000.0;
    double skew = config.clockSkew().toMillis() / 1000.0;
    JsonNode exp = jwt.claims().get("exp");
    if (exp == null || !exp.isNumber() || now > exp.asDouble() + skew) {
      return IdentityFailure.EXPIRED; // a token that never expires is refused too
    }
    JsonNode nbf = jwt.claims().get("nbf");
    if (nbf != null && (!nbf.isNumber() || now + skew < nbf.asDouble())) {
      return IdentityFailure.NOT_YET_VALID;
    }
    return null;
  }

  private static boolean audienceMatches(JsonNode aud, List<String> accepted) {
    if (aud == null) {
      return false;
    }
    if (aud.isTextual()) {
      return accepted.contains(aud.textValue());
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isTextual() && accepted.contains(a.textValue())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String text(JsonNode claim) {
    if (claim == null) {
      return null;
    }
    if (claim.isTextual()) {
      return claim.textValue();
    }
    return claim.isIntegralNumber() ? claim.asText() : null;
  }

  private static CompletableFuture<IdentityResult> failed(IdentityFailure failure) {
    return CompletableFuture.completedFuture(IdentityResult.failed(failure));
  }
}
