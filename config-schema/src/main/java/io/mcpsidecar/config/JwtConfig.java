package io.mcpsidecar.config;

import java.time.Duration;
import java.util.List;

/**
 * JWT bearer tokens.
 *
 * @param enabled whether tokens shaped like JWTs are verified
 * @param jwksUrl the identity provider's JSON Web Key Set, or empty
 * @param issuer the exact {@code iss} tokens carry
 * @param audiences accepted {@code aud} values
 * @param algorithms accepted {@code alg} values (never {@code none} nor HMAC)
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param tenantClaim claim holding the tenant id (dots read nested claims)
 * @param subjectClaim claim holding the subject
 * @param jwksRefreshInterval how long a fetched key set is used before it is fetched again
 * @param jwksTimeout how long one JWKS fetch may take
 */
public record JwtConfig(
    boolean enabled,
    String jwksUrl,
    String issuer,
    List<String> audiences,
    List<String> algorithms,
    Duration clockSkew,
    String tenantClaim,
    String subjectClaim,
    Duration jwksRefreshInterval,
    Duration jwksTimeout) {

  public JwtConfig {
    audiences = List.copyOf(audiences);
    algorithms = List.copyOf(algorithms);
  }
}
