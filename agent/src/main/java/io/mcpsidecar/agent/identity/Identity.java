package io.mcpsidecar.agent.identity;

/**
 * Who a call is from, as resolved from its credentials.
 *
 * @param tenant whose limits and policies apply
 * @param subject the user or client within the tenant
 * @param method how it was resolved: {@code jwt}, {@code api_key}, {@code trusted_header} or {@code
 *     anonymous}
 */
record Identity(String tenant, String subject, String method) {

  /** Whether a credential the agent verified (a JWT or an API key) identified the caller. */
  boolean fromCredential() {
    return method.equals("jwt") || method.equals("api_key");
  }

  /** The principal later stages read. */
  io.mcpsidecar.agent.transport.Principal toPrincipal() {
    return new io.mcpsidecar.agent.transport.Principal(
        tenant, subject, credential(), java.util.Map.of());
  }

  private io.mcpsidecar.agent.transport.Principal.Credential credential() {
    return switch (method) {
      case "jwt" -> io.mcpsidecar.agent.transport.Principal.Credential.JWT;
      case "api_key" -> io.mcpsidecar.agent.transport.Principal.Credential.API_KEY;
      case "trusted_header" -> io.mcpsidecar.agent.transport.Principal.Credential.TRUSTED_HEADER;
      default -> io.mcpsidecar.agent.transport.Principal.Credential.ANONYMOUS;
    };
  }

  /** The subject qualified by its tenant: what a session is bound to. */
  String principal() {
    return tenant + '\u0000' + subject;
  }
}
