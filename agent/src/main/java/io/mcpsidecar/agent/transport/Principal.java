package io.mcpsidecar.agent.transport;

import java.util.Map;
import java.util.Objects;

/**
 * Who made a call, as the identity stage established it; set once on the call ({@link
 * McpCall#principal(Principal)}) and read by every later stage (limits, tracing, audit) without
 * knowing the identity stage. The transport itself never reads it.
 *
 * @param tenant whose limits and policies apply
 * @param subject the user or client within the tenant
 * @param credential what identified the caller
 * @param claims the verified claims of a JWT (empty for other credentials); read-only
 */
public record Principal(
    String tenant, String subject, Credential credential, Map<String, Object> claims) {

  /** What identified the caller. */
  public enum Credential {
    JWT("jwt"),
    API_KEY("api_key"),
    TRUSTED_HEADER("trusted_header"),
    ANONYMOUS("anonymous");

    private final String label;

    Credential(String label) {
      this.label = label;
    }

    /** The name logs and metrics use ({@code api_key}, ...). */
    public String label() {
      return label;
    }
  }

  public Principal {
    Objects.requireNonNull(tenant);
    Objects.requireNonNull(subject);
    Objects.requireNonNull(credential);
    claims = claims == null ? Map.of() : Map.copyOf(claims);
  }

  /** Whether a credential the agent verified itself (a JWT or an API key) identified the caller. */
  public boolean verified() {
    return credential == Credential.JWT || credential == Credential.API_KEY;
  }
}
