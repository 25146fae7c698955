package io.mcpsidecar.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The objects {@code helm template} renders from the chart, read as JSON trees, with lookups by
 * kind and name. Rendering goes through the real Helm library (helm-java), values files and {@code
 * --set} included, so the values schema and every template function run as they do for {@code helm
 * install}.
 */
final class RenderedChart {

  static final String RELEASE = "mcp-sidecar";
  static final String NAMESPACE = "mcp-sidecar-system";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String manifest;
  private final List<JsonNode> objects;

  private RenderedChart(String manifest, List<JsonNode> objects) {
    this.manifest = manifest;
    this.objects = objects;
  }

  static Path chartDir() {
    return RepoFiles.root().resolve("charts/mcp-sidecar");
  }

  /**
   * A copy of the chart that helm-java can render: its Helm reports Kubernetes v1.20.0 to {@code
   * template} and client-only installs (the version is not settable through helm-java), which the
   * chart's {@code kubeVersion: ">=1.29.0-0"} refuses, so the copy leaves that line out. Everything
   * else is the chart as committed; {@link ChartReleaseTest} checks the constraint itself.
   */
  static synchronized Path renderableChartDir() {
    if (renderable == null) {
      try {
        Path copy = Files.createTempDirectory("mcp-sidecar-chart").resolve("mcp-sidecar");
        try (Stream<Path> files = Files.walk(chartDir())) {
          for (Path source : (Iterable<Path>) files::iterator) {
            Path target = copy.resolve(chartDir().relativize(source).toString());
            if (Files.isDirectory(source)) {
              Files.createDirectories(target);
            } else {
              Files.copy(source, target);
            }
          }
        }
        Path chartYaml = copy.resolve("Chart.yaml");
        String text = Files.readString(chartYaml);
        Files.writeString(chartYaml, text.replaceAll("(?m)^kubeVersion:.*\n", ""));
        renderable = copy;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return renderable;
  }

  private static Path renderable;

  /** Renders with the chart's defaults plus the values files (in order) and the sets. */
  static RenderedChart render(List<String> valuesFiles, Map<String, String> sets) {
    FakeKubeApi.instance();
    TemplateCommand command =
        new Helm(renderableChartDir()).template().withName(RELEASE).withNamespace(NAMESPACE);
    for (String file : valuesFiles) {
      command = command.withValuesFile(valuesFile(file));
    }
    for (Map.Entry<String, String> set : sets.entrySet()) {
      command = command.set(set.getKey(), set.getValue());
    }
    return parse(command.call());
  }

  static RenderedChart render(String... valuesFiles) {
    return render(List.of(valuesFiles), Map.of());
  }

  static RenderedChart renderWith(Map<String, String> sets) {
    return render(List.of(), sets);
  }

  /** A values file of {@code src/test/resources/values/}. */
  static Path valuesFile(String name) {
    return RepoFiles.root().resolve("charts/src/test/resources/values").resolve(name);
  }

  static RenderedChart parse(String manifest) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(manifest)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          objects.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered manifest is not YAML:\n" + manifest, e);
    }
    return new RenderedChart(manifest, objects);
  }

  String manifest() {
    return manifest;
  }

  List<JsonNode> objects() {
    return objects;
  }

  List<JsonNode> all(String kind) {
    return objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .collect(Collectors.toList());
  }

  /** The only object of this kind; fails when there is none or several. */
  JsonNode one(String kind) {
    List<JsonNode> found = all(kind);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one " + kind + ", found " + found.size() + " in\n" + kinds());
    }
    return found.get(0);
  }

  JsonNode named(String kind, String name) {
    return all(kind).stream()
        .filter(o -> o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in\n" + kinds()));
  }

  List<String> kinds() {
    return objects.stream()
        .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
        .collect(Collectors.toList());
  }

  /** The injector Deployment's only container. */
  JsonNode injectorContainer() {
    return one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
  }

  /** The injector container's plain env values by name (valueFrom entries map to null). */
  Map<String, String> injectorEnv() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (JsonNode e : injectorContainer().path("env")) {
      env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : null);
    }
    return env;
  }
}
