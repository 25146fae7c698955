package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read-only questions about a pod, asked of its raw JSON. The pod is never bound to a typed model:
 * a model drops the fields it does not know, and a patch computed from it would then delete them.
 */
public final class PodView {
  private final JsonNode pod;

  public PodView(JsonNode pod) {
    this.pod = pod == null ? MissingNode.getInstance() : pod;
  }

  public JsonNode json() {
    return pod;
  }

  public JsonNode metadata() {
    return pod.path("metadata");
  }

  public JsonNode spec() {
    return pod.path("spec");
  }

  public Optional<String> label(String key) {
    return text(metadata().path("labels").path(key));
  }

  public Optional<String> annotation(String key) {
    return text(metadata().path("annotations").path(key));
  }

  /** The annotation keys that start with {@code prefix}, in the pod's order. */
  public List<String> annotationKeysStartingWith(String prefix) {
    List<String> keys = new ArrayList<>();
    metadata()
        .path("annotations")
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (key.startsWith(prefix)) {
                keys.add(key);
              }
            });
    return keys;
  }

  /** Whether {@code metadata.<field>} is an object (not missing, not null). */
  public boolean hasMetadataObject(String field) {
    return metadata().path(field).isObject();
  }

  public boolean hasSpecArray(String field) {
    return spec().path(field).isArray();
  }

  public JsonNode containers() {
    return spec().path("containers");
  }

  public JsonNode initContainers() {
    return spec().path("initContainers");
  }

  public boolean hostNetwork() {
    return spec().path("hostNetwork").asBoolean(false);
  }

  /** The pod name, or its {@code generateName} prefix when the API server has not named it yet. */
  public String displayName() {
    return text(metadata().path("name"))
        .or(() -> text(metadata().path("generateName")).map(prefix -> prefix + "*"))
        .orElse("<unnamed>");
  }

  /** Every container of every kind (init, regular, ephemeral), for names and ports. */
  public List<JsonNode> allContainers() {
    List<JsonNode> all = new ArrayList<>();
    for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
      spec().path(field).forEach(all::add);
    }
    return all;
  }

  public boolean hasContainerNamed(String name) {
    return allContainers().stream().anyMatch(c -> name.equals(c.path("name").asText(null)));
  }

  public boolean hasVolumeNamed(String name) {
    for (JsonNode volume : spec().path("volumes")) {
      if (name.equals(volume.path("name").asText(null))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a port of any container already uses this name. */
  public boolean hasPortNamed(String name) {
    return allContainers().stream()
        .flatMap(c -> iterable(c.path("ports")).stream())
        .anyMatch(p -> name.equals(p.path("name").asText(null)));
  }

  /** The container declaring {@code containerPort} (TCP), if any, as "kind name". */
  public Optional<String> containerDeclaringPort(int port) {
    for (String field : List.of("initContainers", "containers")) {
      for (JsonNode container : spec().path(field)) {
        for (JsonNode p : container.path("ports")) {
          boolean tcp = p.path("protocol").asText("TCP").equals("TCP");
          if (tcp && p.path("containerPort").asInt(-1) == port) {
            return Optional.of(container.path("name").asText("?"));
          }
        }
      }
    }
    return Optional.empty();
  }

  static Optional<String> text(JsonNode node) {
    return node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
  }

  static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }
}
