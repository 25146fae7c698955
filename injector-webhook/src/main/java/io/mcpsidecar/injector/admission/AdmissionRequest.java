package io.mcpsidecar.injector.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of an AdmissionReview v1 request the webhook uses. The object stays raw JSON.
 *
 * @param uid echoed in the response, as the API server requires
 * @param group the resource's API group ("" for core)
 * @param kind the object's kind, e.g. {@code Pod}
 * @param resource the resource, e.g. {@code pods}
 * @param subResource the subresource, or "" (e.g. {@code ephemeralcontainers})
 * @param namespace the request's namespace ("" for cluster-scoped)
 * @param operation {@code CREATE}, {@code UPDATE}, {@code DELETE} or {@code CONNECT}
 * @param dryRun whether the API server will not persist the result
 * @param object the object (missing for DELETE)
 */
public record AdmissionRequest(
    String uid,
    String group,
    String kind,
    String resource,
    String subResource,
    String namespace,
    String operation,
    boolean dryRun,
    JsonNode object) {

  /** A core/v1 Pod, not a subresource of one. */
  public boolean isPod() {
    return group.isEmpty() && kind.equals("Pod") && resource.equals("pods");
  }
}
