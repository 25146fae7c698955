package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the labels and annotations to add and turns them into operations that work whether or
 * not {@code metadata.labels} and {@code metadata.annotations} exist: adding a member to a map that
 * is missing fails under RFC 6902, so a missing map is added whole.
 */
final class MetadataPatch {
  private final PodView pod;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();

  MetadataPatch(PodView pod) {
    this.pod = pod;
  }

  void label(String key, String value) {
    labels.put(key, value);
  }

  void annotate(String key, String value) {
    annotations.put(key, value);
  }

  void emit(List<PatchOperation> ops) {
    if (labels.isEmpty() && annotations.isEmpty()) {
      return;
    }
    if (!pod.metadata().isObject()) {
      ObjectNode metadata = JsonNodeFactory.instance.objectNode();
      if (!labels.isEmpty()) {
        metadata.set("labels", object(labels));
      }
      if (!annotations.isEmpty()) {
        metadata.set("annotations", object(annotations));
      }
      ops.add(PatchOperation.add("/metadata", metadata));
      return;
    }
    emitMap("labels", labels, ops);
    emitMap("annotations", annotations, ops);
  }

  private void emitMap(String field, Map<String, String> entries, List<PatchOperation> ops) {
    if (entries.isEmpty()) {
      return;
    }
    if (!pod.hasMetadataObject(field)) {
      ops.add(PatchOperation.add(JsonPointer.of("metadata", field), object(entries)));
      return;
    }
    entries.forEach(
        (key, value) -> ops.add(PatchOperation.add(JsonPointer.of("metadata", field, key), value)));
  }

  private static ObjectNode object(Map<String, String> entries) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    entries.forEach(node::put);
    return node;
  }
}
