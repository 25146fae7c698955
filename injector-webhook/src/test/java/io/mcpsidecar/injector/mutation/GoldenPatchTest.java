package io.mcpsidecar.injector.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.fge.jsonpatch.JsonPatch;
import io.mcpsidecar.injector.admission.ReviewResponse;
import io.mcpsidecar.injector.support.PodSchema;
import io.mcpsidecar.injector.support.TestJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each {@code golden/<case>.input.json} (a namespace and a pod) has a {@code
 * <case>.expected.json} with the outcome, warnings and JSON Patch. Run with {@code
 * -Dinjector.golden.update=true} to rewrite the expected files after an intended change, then
 * review the diff.
 *
 * <p>Every patch is applied with a real RFC 6902 implementation (java-json-tools json-patch), the
 * result validated against the strict Kubernetes Pod schema and the rules a schema cannot say, and
 * the injector run again on its own output must return no patch.
 */
class GoldenPatchTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final PodInjector INJECTOR = new PodInjector(InjectionSettings.defaults("0.1.0"));

  static Stream<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".input.json"))
          .map(n -> n.substring(0, n.length() - ".input.json".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  record Case(String namespace, JsonNode pod, InjectionResult result) {}

  static Case run(String name) throws IOException {
    JsonNode input = TestJson.parse(Files.readAllBytes(GOLDEN.resolve(name + ".input.json")));
    String namespace = input.path("namespace").asText();
    JsonNode pod = input.path("pod");
    return new Case(namespace, pod, INJECTOR.inject(pod.deepCopy(), namespace));
  }

  static JsonNode describe(InjectionResult result) {
    ObjectNode out = TestJson.MAPPER.createObjectNode();
    if (result instanceof InjectionResult.Injected) {
      out.put("outcome", "injected");
    } else if (result instanceof InjectionResult.Skipped s) {
      out.put("outcome", "skipped").put("reason", s.reason().label());
    } else if (result instanceof InjectionResult.Rejected r) {
      out.put("outcome", "rejected");
      r.problems().forEach(out.withArray("problems")::add);
    }
    result.warnings().forEach(out.withArray("warnings")::add);
    out.set("patch", TestJson.parse(ReviewResponse.patchBytes(result.operations())));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void patchMatchesGoldenFile(String name) throws IOException {
    String actual = TestJson.pretty(describe(run(name).result()));
    Path expectedFile = GOLDEN.resolve(name + ".expected.json");
    if (Boolean.getBoolean("injector.golden.update")) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertThat(expectedFile)
        .as("golden file missing: run once with -Dinjector.golden.update=true and review it")
        .exists();
    assertThat(actual)
        .as("golden file %s (regenerate with -Dinjector.golden.update=true)", expectedFile)
        .isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void patchedPodIsValidAndKeepsEverythingItHad(String name) throws Exception {
    Case c = run(name);
    JsonNode patched = apply(c.pod(), c.result());
    assertThat(PodSchema.violations(c.pod())).as("input pod is valid").isEmpty();
    assertThat(PodSchema.violations(patched)).as("patched pod").isEmpty();
    assertKept(c.pod(), patched);
    if (c.result() instanceof InjectionResult.Injected) {
      assertThat(patched.path("metadata").path("labels").path(PodKeys.INJECTED).asText())
          .isEqualTo("true");
      assertThat(
              patched.path("metadata").path("annotations").path(PodKeys.INJECTED_VERSION).asText())
          .isEqualTo("0.1.0");
      assertThat(new PodView(patched).hasContainerNamed(PodKeys.AGENT_CONTAINER)).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void injectorReturnsNoPatchForItsOwnOutput(String name) throws Exception {
    Case c = run(name);
    JsonNode patched = apply(c.pod(), c.result());
    InjectionResult again = INJECTOR.inject(patched, c.namespace());
    assertThat(again.operations()).as("second pass over %s", name).isEmpty();
  }

  static JsonNode apply(JsonNode pod, InjectionResult result) throws Exception {
    JsonNode patch = TestJson.parse(ReviewResponse.patchBytes(result.operations()));
    return JsonPatch.fromJson(patch).apply(pod);
  }

  /** Every container, init container, volume, label and annotation of the input survives. */
  static void assertKept(JsonNode before, JsonNode after) {
    for (String map : List.of("labels", "annotations")) {
      Iterator<Map.Entry<String, JsonNode>> it =
          before.path("metadata").path(map).properties().iterator();
      while (it.hasNext()) {
        var e = it.next();
        assertThat(after.path("metadata").path(map).path(e.getKey()))
            .as("metadata.%s[%s]", map, e.getKey())
            .isEqualTo(e.getValue());
      }
    }
    for (String list : List.of("initContainers", "containers", "volumes")) {
      for (JsonNode item : before.path("spec").path(list)) {
        JsonNode kept = findByName(after.path("spec").path(list), item.path("name").asText());
        assertThat(kept).as("spec.%s[%s]", list, item.path("name").asText()).isNotNull();
        JsonNode expected = item.deepCopy();
        JsonNode actual = kept.deepCopy();
        // the named MCP port moves to the agent: only that name may disappear, and the probes and
        // hooks that named it must still reach the same port (now by number)
        resolvePortNames((ObjectNode) expected);
        resolvePortNames((ObjectNode) actual);
        stripPortNames((ObjectNode) expected);
        stripPortNames((ObjectNode) actual);
        assertThat(actual).isEqualTo(expected);
      }
    }
    ObjectNode specBefore = ((ObjectNode) before.path("spec")).deepCopy();
    ObjectNode specAfter = ((ObjectNode) after.path("spec")).deepCopy();
    for (String list : List.of("initContainers", "containers", "volumes")) {
      specBefore.remove(list);
      specAfter.remove(list);
    }
    assertThat(specAfter).as("the rest of the spec").isEqualTo(specBefore);
  }

  private static JsonNode findByName(JsonNode array, String name) {
    for (JsonNode item : array) {
      if (name.equals(item.path("name").asText())) {
        return item;
      }
    }
    return null;
  }

  /** Replaces every probe or hook port given by a name the container declares by its number. */
  private static void resolvePortNames(ObjectNode container) {
    for (String handler : PodSchema.PORT_HANDLERS) {
      JsonNode port = container.at("/" + handler + "/port");
      if (!port.isTextual()) {
        continue;
      }
      for (JsonNode declared : container.path("ports")) {
        if (port.asText().equals(declared.path("name").asText(null))) {
          ((ObjectNode) container.at("/" + handler)).set("port", declared.path("containerPort"));
        }
      }
    }
  }

  private static void stripPortNames(ObjectNode container) {
    container.path("ports").forEach(p -> ((ObjectNode) p).remove("name"));
  }
}
