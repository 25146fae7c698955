package io.mcpsidecar.injector.admission;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.Set;

/**
 * Turns a request body into an {@link AdmissionRequest}, or says precisely why it cannot: the
 * message goes back to the caller with HTTP 400, so it names the field and what was expected, and
 * never echoes the body.
 */
public final class ReviewParser {
  static final String API_VERSION = "admission.k8s.io/v1";
  private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE", "CONNECT");

  // a pod is shallow: a deeply nested body is an attack on the parser, not a pod
  private static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(100)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ReviewParser() {}

  public static AdmissionRequest parse(byte[] body) throws MalformedReviewException {
    if (body == null || body.length == 0) {
      throw new MalformedReviewException("empty body (expected: an AdmissionReview JSON object)");
    }
    JsonNode review;
    try {
      review = JSON.readTree(body);
    } catch (JacksonException e) {
      throw new MalformedReviewException(
          "body is not valid JSON at line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
              + ", column "
              + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr())
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedReviewException("body unreadable: " + e.getMessage());
    }
    if (review == null || !review.isObject()) {
      throw new MalformedReviewException("body: not a JSON object (expected: an AdmissionReview)");
    }
    expectText(review, "apiVersion", API_VERSION);
    expectText(review, "kind", "AdmissionReview");
    JsonNode request = review.path("request");
    if (!request.isObject()) {
      throw new MalformedReviewException("request: " + shape(request) + " (expected: an object)");
    }
    String uid = requiredText(request, "request.uid");
    JsonNode kind = object(request, "request.kind");
    JsonNode resource = object(request, "request.resource");
    String operation = requiredText(request, "request.operation");
    if (!OPERATIONS.contains(operation)) {
      throw new MalformedReviewException(
          "request.operation: \"" + operation + "\" (expected: CREATE, UPDATE, DELETE or CONNECT)");
    }
    JsonNode dryRun = request.path("dryRun");
    if (!dryRun.isMissingNode() && !dryRun.isNull() && !dryRun.isBoolean()) {
      throw new MalformedReviewException(
          "request.dryRun: " + shape(dryRun) + " (expected: true or false)");
    }
    JsonNode object = request.path("object");
    if (!operation.equals("DELETE") && !object.isObject()) {
      throw new MalformedReviewException(
          "request.object: " + shape(object) + " (expected: the object being admitted)");
    }
    return new AdmissionRequest(
        uid,
        optionalText(kind, "group", "request.kind.group"),
        requiredText(kind, "request.kind.kind"),
        requiredText(resource, "request.resource.resource"),
        optionalText(request, "subResource", "request.subResource"),
        optionalText(request, "namespace", "request.namespace"),
        operation,
        dryRun.asBoolean(false),
        object,
        // only compared against, never trusted: anything but an object counts as no old object
        request.path("oldObject").isObject()
            ? request.path("oldObject")
            : MissingNode.getInstance());
  }

  private static void expectText(JsonNode node, String field, String expected)
      throws MalformedReviewException {
    JsonNode value = node.path(field);
    if (!value.isTextual() || !value.asText().equals(expected)) {
      throw new MalformedReviewException(
          field + ": " + shape(value) + " (expected: \"" + expected + "\")");
    }
  }

  private static JsonNode object(JsonNode parent, String path) throws MalformedReviewException {
    JsonNode value = parent.path(last(path));
    if (!value.isObject()) {
      throw new MalformedReviewException(path + ": " + shape(value) + " (expected: an object)");
    }
    return value;
  }

  private static String requiredText(JsonNode parent, String path) throws MalformedReviewException {
    JsonNode value = parent.path(last(path));
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new MalformedReviewException(
          path + ": " + shape(value) + " (expected: a non-empty string)");
    }
    return value.asText();
  }

  private static String optionalText(JsonNode parent, String field, String path)
      throws MalformedReviewException {
    JsonNode value = parent.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw new MalformedReviewException(path + ": " + shape(value) + " (expected: a string)");
    }
    return value.asText();
  }

  private static String last(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** What a value is, without echoing large or sensitive content. */
  private static String shape(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    if (node.isTextual()) {
      String text = node.asText();
      return text.length() <= 64
          ? "\"" + text + "\""
          : "a string of " + text.length() + " characters";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    return node.toString();
  }
}
