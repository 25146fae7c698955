package io.mcpsidecar.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code charts/mcp-sidecar/README.md}: a short introduction and the table of every value
 * documented in {@code values.yaml} by a {@code # -- } comment (the helm-docs convention: the
 * comment, and the {@code #} lines right after it, describe the key below). Defaults come from the
 * parsed file. {@link ChartReadmeTest} fails when the committed README is stale; regenerate with
 * {@link #REGENERATE}.
 */
final class ChartReadmeGenerator {

  static final String REGENERATE =
      "./mvnw -B -q -pl charts -am verify -Dtest=ChartReadmeTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dchart.readme.regenerate=true";

  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z0-9_.-]+):(.*)$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One documented value. */
  record Row(String key, String defaultValue, String description) {}

  private ChartReadmeGenerator() {}

  static Path readme() {
    return RenderedChart.chartDir().resolve("README.md");
  }

  static Path valuesFile() {
    return RenderedChart.chartDir().resolve("values.yaml");
  }

  static String render() throws IOException {
    JsonNode chart =
        PrometheusRules.YAML.readTree(RenderedChart.chartDir().resolve("Chart.yaml").toFile());
    StringBuilder out = new StringBuilder();
    out.append("# mcp-sidecar Helm chart\n\n");
    out.append("<!-- Generated from values.yaml by charts/src/test/java/io/mcpsidecar/charts/")
        .append("ChartReadmeGenerator.java; do not edit.\n     Regenerate: ")
        .append(REGENERATE)
        .append(" -->\n\n");
    out.append(chart.path("description").asText().strip()).append("\n\n");
    out.append("| Chart version | App version (image tag) | Kubernetes |\n|---|---|---|\n");
    out.append("| `")
        .append(chart.path("version").asText())
        .append("` | `")
        .append(chart.path("appVersion").asText())
        .append("` | `")
        .append(chart.path("kubeVersion").asText())
        .append("` |\n\n");
    out.append(
        """
        ```sh
        helm install mcp-sidecar charts/mcp-sidecar -n mcp-sidecar-system --create-namespace
        ```

        Installing, opting in and the certificate modes: [docs/install.md](../../docs/install.md).
        Upgrades, rollback and uninstall: [docs/operations/](../../docs/operations/). Sizing the
        agent: [docs/operations/capacity.md](../../docs/operations/capacity.md). Alerts and their
        runbooks: [docs/runbooks/](../../docs/runbooks/README.md).

        ## Values

        Every value, its default and what it does, from the comments of
        [values.yaml](values.yaml); `values.schema.json` rejects unknown keys and out-of-range
        values at install time.

        | Key | Default | Description |
        |---|---|---|
        """);
    for (Row row : rows(Files.readString(valuesFile()))) {
      out.append("| `")
          .append(row.key())
          .append("` | ")
          .append(row.defaultValue())
          .append(" | ")
          .append(cell(row.description()))
          .append(" |\n");
    }
    return out.toString();
  }

  /** The documented keys of a values file, in file order. */
  static List<Row> rows(String valuesYaml) throws IOException {
    JsonNode values = PrometheusRules.YAML.readTree(valuesYaml);
    List<Row> rows = new ArrayList<>();
    Deque<int[]> indents = new ArrayDeque<>();
    Deque<String> keys = new ArrayDeque<>();
    StringBuilder pending = null;
    int skipDeeperThan = -1;
    for (String line : valuesYaml.split("\n", -1)) {
      String stripped = line.strip();
      int indent = line.length() - line.stripLeading().length();
      if (skipDeeperThan >= 0) {
        if (stripped.isEmpty() || indent > skipDeeperThan) {
          continue;
        }
        skipDeeperThan = -1;
      }
      if (stripped.startsWith("# -- ")) {
        pending = new StringBuilder(stripped.substring(5).strip());
        continue;
      }
      if (stripped.startsWith("#")) {
        if (pending != null) {
          pending.append(' ').append(stripped.substring(1).strip());
        }
        continue;
      }
      if (stripped.isEmpty() || stripped.startsWith("- ")) {
        continue;
      }
      Matcher m = KEY.matcher(line);
      if (!m.matches()) {
        continue;
      }
      while (!indents.isEmpty() && indents.peek()[0] >= indent) {
        indents.pop();
        keys.removeLast();
      }
      String key = m.group(2);
      String path = keys.isEmpty() ? key : String.join(".", keys) + "." + key;
      String rest = m.group(3).strip();
      if (pending != null) {
        rows.add(new Row(path, defaultOf(values, path), pending.toString()));
        pending = null;
      }
      if (rest.equals("|") || rest.equals(">") || rest.startsWith("|-") || rest.startsWith(">-")) {
        skipDeeperThan = indent;
      } else if (rest.isEmpty()) {
        indents.push(new int[] {indent});
        keys.addLast(key);
      }
    }
    return rows;
  }

  private static String defaultOf(JsonNode values, String path) throws IOException {
    JsonNode node = values;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    if (node.isTextual() && node.asText().contains("\n")) {
      return "see [values.yaml](values.yaml)";
    }
    String json = JSON.writeValueAsString(node);
    return "`" + json.replace("|", "\\|") + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;");
  }

  /** Writes the README. */
  public static void main(String[] args) throws IOException {
    Files.writeString(readme(), render());
  }
}
