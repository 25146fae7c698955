package io.mcpsidecar.injector.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpsidecar.injector.mutation.PatchOperation;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes AdmissionReview v1 responses: the uid echoed, {@code allowed}, and for a patch {@code
 * patchType: JSONPatch} with the base64 JSON Patch; warnings reach the user's kubectl, audit
 * annotations reach the API server's audit log.
 */
public final class ReviewResponse {
  private static final JsonMapper JSON = new JsonMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ReviewResponse() {}

  /** An allowing response, with a patch when {@code operations} is not empty. */
  public static byte[] allow(
      String uid,
      List<PatchOperation> operations,
      List<String> warnings,
      Map<String, String> audit) {
    ObjectNode review = review(uid, true, warnings, audit);
    if (!operations.isEmpty()) {
      ObjectNode response = (ObjectNode) review.get("response");
      response.put("patchType", "JSONPatch");
      response.put("patch", Base64.getEncoder().encodeToString(patchBytes(operations)));
    }
    return write(review);
  }

  /** A denying response carrying {@code message} to the user. */
  public static byte[] deny(
      String uid, int code, String message, List<String> warnings, Map<String, String> audit) {
    ObjectNode review = review(uid, false, warnings, audit);
    ((ObjectNode) review.get("response"))
        .putObject("status")
        .put("code", code)
        .put("message", message);
    return write(review);
  }

  /** The JSON Patch document (not base64). */
  public static byte[] patchBytes(List<PatchOperation> operations) {
    ArrayNode patch = NODES.arrayNode();
    operations.forEach(op -> patch.add(op.toJson()));
    return write(patch);
  }

  /** The body of an HTTP error (400, 500) that is not an AdmissionReview. */
  public static byte[] error(String message) {
    return write(NODES.objectNode().put("message", message));
  }

  private static ObjectNode review(
      String uid, boolean allowed, List<String> warnings, Map<String, String> audit) {
    ObjectNode review = NODES.objectNode();
    review.put("apiVersion", ReviewParser.API_VERSION);
    review.put("kind", "AdmissionReview");
    ObjectNode response = review.putObject("response");
    response.put("uid", uid);
    response.put("allowed", allowed);
    if (!warnings.isEmpty()) {
      ArrayNode list = response.putArray("warnings");
      warnings.forEach(list::add);
    }
    if (!audit.isEmpty()) {
      ObjectNode annotations = response.putObject("auditAnnotations");
      audit.forEach(annotations::put);
    }
    return review;
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
