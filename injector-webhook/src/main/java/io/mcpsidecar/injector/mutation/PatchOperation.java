package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One RFC 6902 operation. The injector adds members and elements; it changes what the pod already
 * had only where the agent takes over the server's named port: it removes that name, and {@code
 * replace}s the server's own probe and lifecycle references to it with the port number, which would
 * otherwise no longer resolve.
 *
 * @param op {@code add}, {@code remove} or {@code replace}
 * @param path an RFC 6901 pointer (see {@link JsonPointer})
 * @param value the value to add; {@code null} for {@code remove}
 */
public record PatchOperation(String op, String path, JsonNode value) {
  public PatchOperation {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    if (!op.equals("add") && !op.equals("remove") && !op.equals("replace")) {
      throw new IllegalArgumentException("unsupported op: " + op);
    }
    if (op.equals("remove") != (value == null)) {
      throw new IllegalArgumentException(
          "add and replace need a value and remove takes none: " + path);
    }
  }

  public static PatchOperation add(String path, JsonNode value) {
    return new PatchOperation("add", path, value);
  }

  public static PatchOperation add(String path, String value) {
    return add(path, JsonNodeFactory.instance.textNode(value));
  }

  /** Replaces the value at {@code path}, which must exist. */
  public static PatchOperation replace(String path, JsonNode value) {
    return new PatchOperation("replace", path, value);
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
