package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenTelemetry identity of the workload a pod belongs to, computed at admission time: a pod
 * made by a Deployment has no name yet, only {@code generateName} and an owner reference.
 *
 * @param serviceName {@code OTEL_SERVICE_NAME}
 * @param resourceAttributes fixed resource attributes (the per-pod ones come from the downward API)
 */
public record WorkloadIdentity(String serviceName, Map<String, String> resourceAttributes) {

  /** Derives the identity from labels, owner references and names. */
  public static WorkloadIdentity of(PodView pod) {
    Map<String, String> attributes = new LinkedHashMap<>();
    Optional<String> workload = workload(pod, attributes);
    String service =
        pod.label("app.kubernetes.io/name")
            .or(() -> pod.label("app"))
            .or(() -> workload)
            .or(() -> PodView.text(pod.metadata().path("name")))
            .or(() -> PodView.text(pod.metadata().path("generateName")).map(WorkloadIdentity::trim))
            .filter(s -> !s.isEmpty())
            .orElse("mcp-server");
    pod.label("app.kubernetes.io/version").ifPresent(v -> attributes.put("service.version", v));
    return new WorkloadIdentity(service, attributes);
  }

  /** The owning workload's name, recording its k8s.* attributes on the way. */
  private static Optional<String> workload(PodView pod, Map<String, String> attributes) {
    JsonNode owner = controllerOwner(pod.metadata().path("ownerReferences"));
    if (owner == null) {
      return Optional.empty();
    }
    String kind = owner.path("kind").asText("");
    String name = owner.path("name").asText("");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    switch (kind) {
      case "ReplicaSet" -> {
        attributes.put("k8s.replicaset.name", name);
        Optional<String> deployment = deploymentOf(name, pod.label("pod-template-hash"));
        deployment.ifPresent(d -> attributes.put("k8s.deployment.name", d));
        return deployment.or(() -> Optional.of(name));
      }
      case "StatefulSet", "DaemonSet", "Job" -> {
        attributes.put("k8s." + kind.toLowerCase(Locale.ROOT) + ".name", name);
        return Optional.of(name);
      }
      default -> {
        return Optional.of(name);
      }
    }
  }

  private static JsonNode controllerOwner(JsonNode owners) {
    JsonNode first = null;
    for (JsonNode owner : owners) {
      if (owner.path("controller").asBoolean(false)) {
        return owner;
      }
      if (first == null) {
        first = owner;
      }
    }
    return first;
  }

  private static Optional<String> deploymentOf(String replicaSet, Optional<String> hash) {
    return hash.map(h -> "-" + h)
        .filter(replicaSet::endsWith)
        .map(suffix -> replicaSet.substring(0, replicaSet.length() - suffix.length()));
  }

  private static String trim(String generateName) {
    return generateName.endsWith("-")
        ? generateName.substring(0, generateName.length() - 1)
        : generateName;
  }
}
