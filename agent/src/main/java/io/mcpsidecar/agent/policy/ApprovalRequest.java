package io.mcpsidecar.agent.policy;

import io.mcpsidecar.agent.transport.CallKey;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One request of a call that an {@code approve} rule matched in enforce mode: the policy stage puts
 * the call's list under {@link #KEY} and passes the call on; the approvals stage, which comes next,
 * keeps each such request from the server until a human has approved it.
 *
 * @param requestId the request's JSON-RPC id as JSON text ({@code 7} or {@code "abc"})
 * @param rule the id of the rule that asked for approval
 * @param policyVersion a digest of the tenant's effective rule set: equal on every replica with the
 *     same rules, different once the rules change, so an approval granted under old rules is not
 *     used under new ones
 * @param tenant the caller's tenant
 * @param subject the caller's subject
 * @param method the JSON-RPC method ({@code tools/call}, ...)
 * @param name the tool or prompt name, or the resource URI
 * @param arguments the request's {@code params.arguments} (empty when it has none)
 */
public record ApprovalRequest(
    String requestId,
    String rule,
    String policyVersion,
    String tenant,
    String subject,
    String method,
    String name,
    JsonObject arguments) {

  /** The requests of a call that need approval, in the call's order. */
  public static final CallKey<Needed> KEY = CallKey.of("policy.approvals", Needed.class);

  /** The requests of one call (one, or several in a 2025-03-26 batch) that need approval. */
  public record Needed(List<ApprovalRequest> requests) {
    public Needed {
      requests = List.copyOf(requests);
    }
  }
}
