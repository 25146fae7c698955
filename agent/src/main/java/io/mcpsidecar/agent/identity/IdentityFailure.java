package io.mcpsidecar.agent.identity;

/**
 * Why a call's credentials were refused; {@link #reason} is the metric label and the {@code
 * data.reason} of the 401. Messages never echo the credential.
 */
enum IdentityFailure {
  MISSING("missing", "credentials required", false),
  MALFORMED("malformed", "the bearer token is not a well-formed JWT", true),
  ALGORITHM_NOT_ALLOWED(
      "algorithm_not_allowed", "the token's signature algorithm is not accepted", true),
  UNKNOWN_KEY(
      "unknown_key", "the token is signed with a key the identity provider does not publish", true),
  BAD_SIGNATURE("bad_signature", "the token's signature does not verify", true),
  EXPIRED("expired", "the token has expired", true),
  NOT_YET_VALID("not_yet_valid", "the token is not valid yet", true),
  WRONG_ISSUER("wrong_issuer", "the token was issued by another issuer", true),
  WRONG_AUDIENCE("wrong_audience", "the token is not meant for this server", true),
  MISSING_CLAIM("missing_claim", "the token lacks the tenant or subject claim", true),
  INVALID_TENANT("invalid_tenant", "the tenant id is not a valid tenant id", true),
  INVALID_SUBJECT("invalid_subject", "the subject is not a valid subject", true),
  JWKS_UNAVAILABLE("jwks_unavailable", "the identity provider's keys could not be fetched", true),
  UNKNOWN_API_KEY("unknown_api_key", "the API key is not known", true),
  UNTRUSTED_SOURCE(
      "untrusted_source", "the tenant header is only accepted from the gateway", false),
  UNSUPPORTED("unsupported", "no enabled identity mode accepts these credentials", true);

  private final String reason;
  private final String message;
  private final boolean invalidToken;

  IdentityFailure(String reason, String message, boolean invalidToken) {
    this.reason = reason;
    this.message = message;
    this.invalidToken = invalidToken;
  }

  String reason() {
    return reason;
  }

  String message() {
    return message;
  }

  /** Whether the challenge carries RFC 6750's {@code error="invalid_token"}. */
  boolean invalidToken() {
    return invalidToken;
  }
}
