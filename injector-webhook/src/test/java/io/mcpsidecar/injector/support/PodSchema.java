package io.mcpsidecar.injector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server would say about a pod: the strict Kubernetes v1.32 Pod schema (unknown or
 * misplaced fields fail), plus the cross-field rules a schema cannot express.
 */
public final class PodSchema {
  private static final Schema SCHEMA = load();

  private PodSchema() {}

  private static Schema load() {
    String dir = System.getProperty("injector.schemas.dir");
    if (dir == null || dir.isBlank()) {
      dir = "src/test/resources/kubernetes-schemas/v1.32.2-standalone-strict";
    }
    Path file = Path.of(dir, "pod-v1.json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "the strict Kubernetes Pod schema is missing: "
              + file.toAbsolutePath()
              + " (expected: the schema kept under src/test/resources/kubernetes-schemas)");
    }
    try {
      // the files declare "$schema": "http://json-schema.org/schema#" (no version); they are
      // written for draft-07, so the declaration is dropped and draft-07 applies
      ObjectNode document = (ObjectNode) TestJson.parse(Files.readAllBytes(file));
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

  /** Every violation: schema errors first, then the rules. Empty means valid. */
  public static List<String> violations(JsonNode pod) {
    List<String> problems = new ArrayList<>();
    SCHEMA.validate(pod.toString(), InputFormat.JSON).forEach(e -> problems.add(e.toString()));
    problems.addAll(rules(pod));
    return problems;
  }

  /** Probe and lifecycle handlers that may name a port, as {@code field/handler} paths. */
  public static final List<String> PORT_HANDLERS =
      List.of(
          "livenessProbe/httpGet",
          "livenessProbe/tcpSocket",
          "livenessProbe/grpc",
          "readinessProbe/httpGet",
          "readinessProbe/tcpSocket",
          "readinessProbe/grpc",
          "startupProbe/httpGet",
          "startupProbe/tcpSocket",
          "startupProbe/grpc",
          "lifecycle/postStart/httpGet",
          "lifecycle/postStart/tcpSocket",
          "lifecycle/preStop/httpGet",
          "lifecycle/preStop/tcpSocket");

  /**
   * Probe and lifecycle ports given by a name the container does not declare. The API server admits
   * such a pod; the kubelet then fails the probe for ever (the pod never becomes Ready) or the hook
   * (the container is killed), so the injector must never leave one behind.
   */
  static List<String> danglingPortNames(JsonNode container) {
    Set<String> declared = new HashSet<>();
    container.path("ports").forEach(p -> declared.add(p.path("name").asText("")));
    List<String> problems = new ArrayList<>();
    for (String handler : PORT_HANDLERS) {
      JsonNode port = container.at("/" + handler + "/port");
      if (port.isTextual() && !declared.contains(port.asText())) {
        problems.add(
            "container "
                + container.path("name").asText()
                + " "
                + handler
                + " names port "
                + port.asText()
                + ", which the container does not declare");
      }
    }
    return problems;
  }

  /** The Pod validation rules of the API server that the injector could break. */
  static List<String> rules(JsonNode pod) {
    List<String> problems = new ArrayList<>();
    JsonNode spec = pod.path("spec");
    Set<String> containerNames = new HashSet<>();
    Set<String> portNames = new HashSet<>();
    Map<String, String> portOwners = new HashMap<>();
    for (String field : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(field)) {
        String name = c.path("name").asText();
        if (!containerNames.add(name)) {
          problems.add("duplicate container name " + name);
        }
        if (c.has("restartPolicy")) {
          if (!field.equals("initContainers")) {
            problems.add("restartPolicy on regular container " + name);
          } else if (!c.path("restartPolicy").asText().equals("Always")) {
            problems.add("init container " + name + " restartPolicy must be Always");
          }
        }
        boolean sidecar = field.equals("initContainers") && c.has("restartPolicy");
        if (field.equals("initContainers") && !sidecar) {
          for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (c.has(probe)) {
              problems.add("init container " + name + " (not a sidecar) has " + probe);
            }
          }
        }
        for (JsonNode p : c.path("ports")) {
          String portName = p.path("name").asText(null);
          if (portName != null) {
            if (portName.length() > 15) {
              problems.add("port name longer than 15 characters: " + portName);
            }
            if (!portNames.add(portName)) {
              problems.add("duplicate port name " + portName);
            }
          }
          String key = p.path("containerPort").asInt() + "/" + p.path("protocol").asText("TCP");
          String previous = portOwners.putIfAbsent(key, name);
          if (previous != null) {
            problems.add("port " + key + " of " + name + " clashes with " + previous);
          }
        }
        problems.addAll(danglingPortNames(c));
        Set<String> mounts = new HashSet<>();
        for (JsonNode m : c.path("volumeMounts")) {
          if (!mounts.add(m.path("mountPath").asText())) {
            problems.add("container " + name + " mounts twice at " + m.path("mountPath").asText());
          }
        }
      }
    }
    Set<String> volumes = new HashSet<>();
    for (JsonNode v : spec.path("volumes")) {
      if (!volumes.add(v.path("name").asText())) {
        problems.add("duplicate volume " + v.path("name").asText());
      }
    }
    for (String field : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(field)) {
        for (JsonNode m : c.path("volumeMounts")) {
          if (!volumes.contains(m.path("name").asText())) {
            problems.add("mount of unknown volume " + m.path("name").asText());
          }
        }
      }
    }
    return problems;
  }
}
