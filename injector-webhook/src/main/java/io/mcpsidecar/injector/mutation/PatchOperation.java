package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One RFC 6902 operation. Only {@code add} and {@code remove} are needed: the injector never
 * rewrites a value the pod already had, it adds members and elements and, for the port that moves
 * to the agent, removes one name.
 *
 * @param op {@code add} or {@code remove}
 * @param path an RFC 6901 pointer (see {@link JsonPointer})
 * @param value the value to add; {@code null} for {@code remove}
 */
public record PatchOperation(String op, String path, JsonNode value) {
  public PatchOperation {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    if (!op.equals("add") && !op.equals("remove")) {
      throw new IllegalArgumentException("unsupported op: " + op);
    }
    if (op.equals("add") == (value == null)) {
      throw new IllegalArgumentException("add needs a value and remove takes none: " + path);
    }
  }

  public static PatchOperation add(String path, JsonNode value) {
    return new PatchOperation("add", path, value);
  }

  public static PatchOperation add(String path, String value) {
    return add(path, JsonNodeFactory.instance.textNode(value));
  }

  public static PatchOperation remove(String path) {
    return new PatchOperation("remove", path, null);
  }

  /** The operation as the JSON object of a JSON Patch document. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("op", op);
    node.put("path", path);
    if (value != null) {
      node.set("value", value);
    }
    return node;
  }
}
