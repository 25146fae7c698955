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
 * @param oldObject the object before an UPDATE; a missing node when the request has none
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
    JsonNode object,
    JsonNode oldObject) {

  /** The subresource through which {@code kubectl debug} adds containers to a running pod. */
  public static final String EPHEMERAL_CONTAINERS = "ephemeralcontainers";

  /** A core/v1 Pod, or a subresource of one whose object is the Pod (see {@link #subResource}). */
  public boolean isPod() {
    return group.isEmpty() && kind.equals("Pod") && resource.equals("pods");
  }
}
