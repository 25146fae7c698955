package io.mcpsidecar.injector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** JSON for tests: parsing, pretty printing, and AdmissionReview envelopes. */
public final class TestJson {
  public static final JsonMapper MAPPER =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private TestJson() {}

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An AdmissionReview v1 request for a pod, as the API server sends it. */
  public static ObjectNode review(String uid, String operation, String namespace, JsonNode pod) {
    ObjectNode review = MAPPER.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
    request.putObject("requestKind").put("group", "").put("version", "v1").put("kind", "Pod");
    request.put("namespace", namespace);
    request.put("operation", operation);
    request
        .putObject("userInfo")
        .put("username", "system:serviceaccount:kube-system:replicaset-controller");
    request.set("object", pod);
    request.putNull("oldObject");
    request.put("dryRun", false);
    return review;
  }

  /** The decoded JSON Patch of a review response, or null when it carries none. */
  public static JsonNode patchOf(JsonNode reviewResponse) {
    JsonNode patch = reviewResponse.path("response").path("patch");
    if (patch.isMissingNode()) {
      return null;
    }
    return parse(new String(Base64.getDecoder().decode(patch.asText()), StandardCharsets.UTF_8));
  }
}
