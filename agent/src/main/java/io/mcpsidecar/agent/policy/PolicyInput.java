package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.mcp.TargetKind;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The values a policy decision reads for one request. {@code arguments} is asked for only when a
 * rule with a condition is looked at, so the common path never parses the call's arguments.
 *
 * @param tenant the caller's tenant
 * @param subject the caller's subject
 * @param claims the token's claims (empty for other credentials)
 * @param method the JSON-RPC method
 * @param kind what the method's target names
 * @param target the tool or prompt name, or the resource URI; empty when the method has none
 * @param arguments the request's {@code params.arguments} as CEL values (see {@link CelValues})
 * @param now the time conditions see as {@code now}
 */
public record PolicyInput(
    String tenant,
    String subject,
    Map<String, Object> claims,
    String method,
    TargetKind kind,
    String target,
    Supplier<Map<String, Object>> arguments,
    Instant now) {

  /** The tool or prompt name ({@code name} in conditions), or empty. */
  String name() {
    return kind == TargetKind.TOOL || kind == TargetKind.PROMPT ? target : "";
  }

  /** The resource URI ({@code uri} in conditions), or empty. */
  String uri() {
    return kind == TargetKind.RESOURCE ? target : "";
  }
}
