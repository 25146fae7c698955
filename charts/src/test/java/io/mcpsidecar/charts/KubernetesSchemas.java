package io.mcpsidecar.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The strict JSON schemas of the kinds the chart renders (Kubernetes v1.32.2, prometheus-operator
 * and cert-manager CRDs), kept in {@code src/test/resources/kubernetes-schemas}: unknown or
 * misplaced fields, wrong types and missing required fields fail.
 */
final class KubernetesSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

  private KubernetesSchemas() {}

  static Path dir() {
    return RepoFiles.root()
        .resolve("charts/src/test/resources/kubernetes-schemas/v1.32.2-standalone-strict");
  }

  /**
   * The schema file of an object: {@code <kind>-<first label of the group>-<version>.json}, e.g.
   * {@code deployment-apps-v1.json}, {@code podmonitor-monitoring-v1.json}, {@code
   * service-v1.json}.
   */
  static String fileName(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText().toLowerCase(Locale.ROOT);
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      return kind + "-" + apiVersion + ".json";
    }
    String group = apiVersion.substring(0, slash);
    int dot = group.indexOf('.');
    String groupName = dot < 0 ? group : group.substring(0, dot);
    return kind + "-" + groupName + "-" + apiVersion.substring(slash + 1) + ".json";
  }

  /** Every schema violation of the object; empty when valid. A kind without a schema fails. */
  static List<String> violations(JsonNode object) {
    Schema schema = CACHE.computeIfAbsent(fileName(object), KubernetesSchemas::load);
    return schema.validate(object.toString(), InputFormat.JSON).stream()
        .map(Object::toString)
        .collect(Collectors.toList());
  }

  private static Schema load(String fileName) {
    Path file = dir().resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(
          "no schema "
              + file
              + " (expected: the strict schema of every kind the chart renders, copied from the"
              + " kubernetes-schemas data set)");
    }
    try {
      // the files declare "$schema": "http://json-schema.org/schema#" (no version); they are
      // written for draft-07, so the declaration is dropped and draft-07 applies
      ObjectNode document = (ObjectNode) JSON.readTree(file.toFile());
      document.remove("$schema");
      Schema schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
              .getSchema(document.toString(), InputFormat.JSON);
      schema.initializeValidators();
      return schema;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
