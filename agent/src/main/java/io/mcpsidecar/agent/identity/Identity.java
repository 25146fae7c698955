package io.mcpsidecar.agent.identity;

import io.mcpsidecar.agent.transport.Principal;
import java.util.HashMap;
import java.util.Map;

/**
 * Who a call is from, as resolved from its credentials, with the {@link Principal} later stages
 * read made once (an API key's identity, or a verified token's, is reused for every call).
 */
final class Identity {

  private final Principal principal;
  private final String owner;

  /**
   * @param tenant whose limits and policies apply
   * @param subject the user or client within the tenant
   * @param method how it was resolved: {@code jwt}, {@code api_key}, {@code trusted_header} or
   *     {@code anonymous}
   */
  Identity(String tenant, String subject, String method) {
    this(tenant, subject, method, Map.of());
  }

  /** As above, with the verified claims of a JWT (null values are left out). */
  Identity(String tenant, String subject, String method, Map<String, Object> claims) {
    Map<String, Object> present = new HashMap<>();
    claims.forEach(
        (name, value) -> {
          if (value != null) {
            present.put(name, value);
          }
        });
    this.principal = new Principal(tenant, subject, credential(method), present);
    this.owner = tenant + '\u0000' + subject;
  }

  String tenant() {
    return principal.tenant();
  }

  String subject() {
    return principal.subject();
  }

  /** Whether a credential the agent verified (a JWT or an API key) identified the caller. */
  boolean fromCredential() {
    return principal.verified();
  }

  /** The principal later stages read. */
  Principal toPrincipal() {
    return principal;
  }

  /** The subject qualified by its tenant: what a session is bound to. */
  String principal() {
    return owner;
  }

  /** Equal when tenant, subject and credential kind are (claims are what a token added). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Identity that
        && principal.tenant().equals(that.principal.tenant())
        && principal.subject().equals(that.principal.subject())
        && principal.credential() == that.principal.credential();
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(principal.tenant(), principal.subject(), principal.credential());
  }

  @Override
  public String toString() {
    return "Identity[tenant="
        + principal.tenant()
        + ", subject="
        + principal.subject()
        + ", credential="
        + principal.credential().label()
        + "]";
  }

  private static Principal.Credential credential(String method) {
    return switch (method) {
      case "jwt" -> Principal.Credential.JWT;
      case "api_key" -> Principal.Credential.API_KEY;
      case "trusted_header" -> Principal.Credential.TRUSTED_HEADER;
      case "anonymous" -> Principal.Credential.ANONYMOUS;
      default -> throw new IllegalArgumentException("unknown identity method: " + method);
    };
  }
}
