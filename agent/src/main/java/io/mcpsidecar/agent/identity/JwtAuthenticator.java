package io.mcpsidecar.agent.identity;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mcpsidecar.config.JwtConfig;
import java.math.BigInteger;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies JWT bearer tokens with Nimbus JOSE+JWT: the algorithm against the allow-list, the
 * signature with a key from the provider's key set (its type and size matching the algorithm), then
 * issuer, audience, expiry and not-before with the configured skew and this class's clock, then the
 * tenant and subject claims. Claims are read only once the signature holds. Keys come only from the
 * configured key set: a token's own {@code jku}, {@code x5u}, {@code jwk} or {@code x5c} headers
 * are never followed. Unsigned ({@code none}), HMAC, encrypted (JWE) and nested tokens and tokens
 * with {@code crit} extensions are refused. A key set is fetched again when a token names a key id
 * it lacks.
 */
final class JwtAuthenticator {

  /** Tokens longer than this are refused before any decoding. */
  static final int MAX_LENGTH = 16 * 1024;

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
   * to {@code exp} (epoch milliseconds). Once the key set is refreshed the token is verified again,
   * so a key the provider withdrew stops working within a refresh.
   */
  private record Verified(JwtConfig config, JWKSet keys, Identity identity, long nbf, long exp) {}

  JwtAuthenticator(JwksCache jwks, Clock clock) {
    this.jwks = jwks;
    this.clock = clock;
  }

  /** Whether a bearer token has the shape of a JWS (three dot-separated parts). */
  static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return second > 0 && token.indexOf('.', second + 1) < 0;
  }

  /** Loads the parsing classes, so that the first token is not parsed on a cold event loop. */
  static void warmUp() {
    try {
      SignedJWT.parse("eyJhbGciOiJSUzI1NiJ9.e30.AA").getJWTClaimsSet();
    } catch (ParseException e) {
      throw new IllegalStateException("the JWT parser cannot parse a minimal token", e);
    }
  }

  CompletableFuture<IdentityResult> authenticate(String token, JwtConfig config) {
    Verified known = verified.get(token);
    if (known != null
        && known.config() == config
        && known.keys() == jwks.cached(config.jwksUrl())) {
      long now = clock.millis();
      long skew = config.clockSkew().toMillis();
      if (now > known.exp() + skew) {
        verified.remove(token);
        return failed(IdentityFailure.EXPIRED);
      }
      if (now + skew >= known.nbf()) {
        return CompletableFuture.completedFuture(IdentityResult.of(known.identity()));
      }
    }
    Parsed parsed = parse(token, config);
    if (parsed.failure() != null) {
      return failed(parsed.failure());
    }
    SignedJWT jwt = parsed.jwt();
    String kid = jwt.getHeader().getKeyID();
    return jwks.keys(config.jwksUrl(), config.jwksRefreshInterval(), config.jwksTimeout())
        .thenCompose(
            keys ->
                kid != null && !SigningKeys.hasKeyId(keys, kid)
                    ? jwks.refreshed(config.jwksUrl(), config.jwksTimeout())
                    : CompletableFuture.completedFuture(keys))
        .thenApply(keys -> verified(token, jwt, keys, config))
        .exceptionally(err -> IdentityResult.failed(IdentityFailure.JWKS_UNAVAILABLE));
  }

  /** A token split and its header read, or why it is refused before any key is looked at. */
  private record Parsed(SignedJWT jwt, IdentityFailure failure) {}

  private static Parsed parse(String token, JwtConfig config) {
    if (token.length() > MAX_LENGTH || !looksLikeJwt(token)) {
      return new Parsed(null, IdentityFailure.MALFORMED); // JWE has five parts: never accepted
    }
    try {
      Base64URL[] parts = JOSEObject.split(token);
      Algorithm alg =
          Header.parseAlgorithm(
              JSONObjectUtils.parse(parts[0].decodeToString(), Header.MAX_HEADER_STRING_LENGTH));
      if (Algorithm.NONE.equals(alg)) {
        return new Parsed(null, IdentityFailure.ALGORITHM_NOT_ALLOWED);
      }
      if (!(alg instanceof JWSAlgorithm jwsAlg)) {
        return new Parsed(null, IdentityFailure.MALFORMED); // a JWE header
      }
      if (JWSAlgorithm.Family.HMAC_SHA.contains(jwsAlg)
          || !config.algorithms().contains(jwsAlg.getName())) {
        return new Parsed(null, IdentityFailure.ALGORITHM_NOT_ALLOWED);
      }
      SignedJWT jwt = new SignedJWT(parts[0], parts[1], parts[2]);
      JWSHeader header = jwt.getHeader();
      if (header.getCriticalParams() != null) {
        return new Parsed(null, IdentityFailure.MALFORMED); // no extension understood (RFC 7515)
      }
      if ("JWT".equalsIgnoreCase(header.getContentType())) {
        return new Parsed(null, IdentityFailure.MALFORMED); // a nested token
      }
      return new Parsed(jwt, null);
    } catch (ParseException | IllegalArgumentException | IllegalStateException e) {
      return new Parsed(null, IdentityFailure.MALFORMED);
    }
  }

  private IdentityResult verified(String token, SignedJWT jwt, JWKSet keys, JwtConfig config) {
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    String kid = jwt.getHeader().getKeyID();
    List<JWK> candidates = SigningKeys.candidates(keys, kid, alg);
    if (candidates.isEmpty()) {
      // A known id whose key is of another type or algorithm: an algorithm confusion attempt.
      return IdentityResult.failed(
          kid != null && SigningKeys.hasKeyId(keys, kid)
              ? IdentityFailure.ALGORITHM_NOT_ALLOWED
              : IdentityFailure.UNKNOWN_KEY);
    }
    if (kid == null && candidates.size() > 1) {
      return IdentityResult.failed(IdentityFailure.UNKNOWN_KEY); // ambiguous without a kid
    }
    if (!SigningKeys.verify(jwt, candidates.get(0))) {
      return IdentityResult.failed(IdentityFailure.BAD_SIGNATURE);
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return IdentityResult.failed(IdentityFailure.MALFORMED);
    }
    IdentityFailure failure = checkClaims(claims, config);
    if (failure != null) {
      return IdentityResult.failed(failure);
    }
    String tenant = text(claim(claims, config.tenantClaim()));
    String subject = text(claim(claims, config.subjectClaim()));
    if (tenant == null
        || subject == null
        || subject.isEmpty()
        || subject.length() > MAX_SUBJECT_LENGTH) {
      return IdentityResult.failed(IdentityFailure.MISSING_CLAIM);
    }
    if (!TenantIds.valid(tenant)) {
      return IdentityResult.failed(IdentityFailure.INVALID_TENANT);
    }
    IdentityResult result =
        IdentityResult.of(new Identity(tenant, subject, "jwt", claims.getClaims()));
    remember(token, config, keys, result, claims);
    return result;
  }

  // The signature is the costly part (RSA ~0.1 ms, ECDSA ~1 ms on the JDK): a client sends the
  // same token for every call until it expires, so a verified token is checked only for time.
  private void remember(
      String token, JwtConfig config, JWKSet keys, IdentityResult result, JWTClaimsSet claims) {
    if (token.length() > MAX_REMEMBERED_LENGTH) {
      return;
    }
    if (verified.size() >= MAX_REMEMBERED) {
      verified.clear(); // bounded; the next calls verify again
    }
    Date nbf = claims.getNotBeforeTime();
    verified.put(
        token,
        new Verified(
            config,
            keys,
            ((IdentityResult.Resolved) result).identity(),
            nbf == null ? Long.MIN_VALUE / 2 : nbf.getTime(),
            claims.getExpirationTime().getTime()));
  }

  private IdentityFailure checkClaims(JWTClaimsSet claims, JwtConfig config) {
    if (!config.issuer().equals(claims.getIssuer())) {
      return IdentityFailure.WRONG_ISSUER;
    }
    List<String> audiences = claims.getAudience();
    if (audiences.stream().noneMatch(config.audiences()::contains)) {
      return IdentityFailure.WRONG_AUDIENCE;
    }
    long now = clock.millis();
    long skew = config.clockSkew().toMillis();
    Date exp = claims.getExpirationTime();
    if (exp == null || now > exp.getTime() + skew) {
      return IdentityFailure.EXPIRED; // a token that never expires is refused too
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now + skew < nbf.getTime()) {
      return IdentityFailure.NOT_YET_VALID;
    }
    return null;
  }

  /**
   * A claim by name; a dotted name reads nested objects ({@code org.id}). A claim whose own name
   * contains the dots wins over the nested reading.
   */
  private static Object claim(JWTClaimsSet claims, String name) {
    Object direct = claims.getClaim(name);
    if (direct != null || name.indexOf('.') < 0) {
      return direct;
    }
    Object node = claims.getClaims();
    for (String part : name.split("\\.")) {
      node = node instanceof Map<?, ?> map ? map.get(part) : null;
    }
    return node;
  }

  private static String text(Object claim) {
    if (claim instanceof String s) {
      return s;
    }
    if (claim instanceof Long || claim instanceof Integer || claim instanceof BigInteger) {
      return claim.toString();
    }
    return null;
  }

  private static CompletableFuture<IdentityResult> failed(IdentityFailure failure) {
    return CompletableFuture.completedFuture(IdentityResult.failed(failure));
  }
}
