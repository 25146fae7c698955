package io.mcpsidecar.injector.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the catalog document (YAML or JSON) strictly: unknown keys, missing owners, SLOs or supply
 * chain references, malformed repositories and digests are all reported at once, each with its
 * path, value and what was expected.
 *
 * <pre>
 * requireDigest: true                # default for every entry
 * trustedRepositories: [docker.io/istio/proxyv2]
 * servers:
 *   - repository: ghcr.io/acme/weather-mcp
 *     owner: team-weather
 *     slo: 99.9% of tools/call under 1 s
 *     sbom: https://sbom.acme.example/weather-mcp.cdx.json
 *     provenance: https://ghcr.io/acme/weather-mcp/attestations
 *     digests: [sha256:...]
 * </pre>
 */
public final class CatalogParser {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> TOP_KEYS =
      Set.of("requireDigest", "trustedRepositories", "servers");
  private static final Set<String> ENTRY_KEYS =
      Set.of("repository", "owner", "slo", "sbom", "provenance", "requireDigest", "digests");

  /** The outcome of reading a catalog document. */
  public sealed interface Result {}

  public record Parsed(Catalog catalog) implements Result {}

  public record Invalid(List<String> problems) implements Result {
    public Invalid {
      problems = List.copyOf(problems);
    }
  }

  private final List<String> problems = new ArrayList<>();

  private CatalogParser() {}

  public static Result parse(byte[] document) {
    JsonNode root;
    try {
      root = YAML.readTree(document);
    } catch (JacksonException e) {
      return new Invalid(
          List.of("catalog: not valid YAML or JSON (" + e.getOriginalMessage() + ")"));
    } catch (java.io.IOException e) {
      return new Invalid(List.of("catalog: unreadable (" + e.getMessage() + ")"));
    }
    return new CatalogParser().read(root);
  }

  private Result read(JsonNode root) {
    if (root == null || !root.isObject()) {
      return new Invalid(List.of("catalog: " + shape(root) + " (expected: a mapping)"));
    }
    unknownKeys(root, TOP_KEYS, "");
    boolean requireDigest = bool(root, "requireDigest", "requireDigest", false);
    Set<String> trusted = new LinkedHashSet<>();
    JsonNode trustedNode = root.path("trustedRepositories");
    if (!trustedNode.isMissingNode() && !trustedNode.isArray()) {
      problem("trustedRepositories", shape(trustedNode), "a list of repositories");
    }
    for (int i = 0; i < trustedNode.size(); i++) {
      repository(trustedNode.get(i), "trustedRepositories[" + i + "]").ifPresent(trusted::add);
    }
    List<CatalogEntry> servers = new ArrayList<>();
    JsonNode serversNode = root.path("servers");
    if (!serversNode.isArray()) {
      problem("servers", shape(serversNode), "a list of approved MCP servers");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < serversNode.size(); i++) {
      String path = "servers[" + i + "]";
      entry(serversNode.get(i), path, requireDigest)
          .ifPresent(
              e -> {
                if (!seen.add(e.repository())) {
                  problem(path + ".repository", e.repository(), "each repository listed once");
                } else {
                  servers.add(e);
                }
              });
    }
    return problems.isEmpty() ? new Parsed(new Catalog(servers, trusted)) : new Invalid(problems);
  }

  private Optional<CatalogEntry> entry(JsonNode node, String path, boolean requireDigestDefault) {
    if (!node.isObject()) {
      problem(path, shape(node), "a mapping with repository, owner, slo and sbom or provenance");
      return Optional.empty();
    }
    int before = problems.size();
    unknownKeys(node, ENTRY_KEYS, path + ".");
    Optional<String> repository = repository(node.path("repository"), path + ".repository");
    Optional<String> owner = requiredText(node, "owner", path, "the owning team or person");
    Optional<String> slo = requiredText(node, "slo", path, "the SLO the server promises");
    Optional<String> sbom = optionalText(node, "sbom", path);
    Optional<String> provenance = optionalText(node, "provenance", path);
    if (sbom.isEmpty() && provenance.isEmpty() && !node.has("sbom") && !node.has("provenance")) {
      problem(path, "no sbom or provenance", "an sbom or a provenance reference (or both)");
    }
    boolean requireDigest =
        bool(node, "requireDigest", path + ".requireDigest", requireDigestDefault);
    Set<String> digests = new LinkedHashSet<>();
    JsonNode digestsNode = node.path("digests");
    if (!digestsNode.isMissingNode() && !digestsNode.isArray()) {
      problem(path + ".digests", shape(digestsNode), "a list of digests");
    }
    for (int i = 0; i < digestsNode.size(); i++) {
      JsonNode d = digestsNode.get(i);
      if (!d.isTextual() || !ImageReference.isDigest(d.asText())) {
        problem(
            path + ".digests[" + i + "]", shape(d), "sha256:<64 hex digits> (or sha384, sha512)");
      } else {
        digests.add(d.asText());
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        new CatalogEntry(
            repository.orElseThrow(),
            owner.orElseThrow(),
            slo.orElseThrow(),
            sbom,
            provenance,
            requireDigest,
            digests));
  }

  private Optional<String> repository(JsonNode node, String path) {
    if (!node.isTextual()) {
      problem(path, shape(node), "an image repository such as ghcr.io/acme/weather-mcp");
      return Optional.empty();
    }
    String text = node.asText();
    if (text.contains("@") || text.substring(text.lastIndexOf('/') + 1).contains(":")) {
      problem(path, shape(node), "a repository without tag or digest (list digests separately)");
      return Optional.empty();
    }
    Optional<String> normalised = ImageReference.normalise(text);
    if (normalised.isEmpty()) {
      problem(path, shape(node), "an image repository such as ghcr.io/acme/weather-mcp");
    }
    return normalised;
  }

  private Optional<String> requiredText(JsonNode node, String key, String path, String expected) {
    JsonNode value = node.path(key);
    if (!value.isTextual() || value.asText().isBlank()) {
      problem(path + "." + key, shape(value), expected);
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private Optional<String> optionalText(JsonNode node, String key, String path) {
    JsonNode value = node.path(key);
    if (value.isMissingNode()) {
      return Optional.empty();
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      problem(path + "." + key, shape(value), "a URL or reference (text)");
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private boolean bool(JsonNode node, String key, String path, boolean fallback) {
    JsonNode value = node.path(key);
    if (value.isMissingNode()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      problem(path, shape(value), "true or false");
      return fallback;
    }
    return value.asBoolean();
  }

  private void unknownKeys(JsonNode node, Set<String> known, String prefix) {
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!known.contains(key)) {
                problem(
                    prefix + key,
                    "present",
                    "one of " + String.join(", ", known.stream().sorted().toList()));
              }
            });
  }

  private void problem(String path, String value, String expected) {
    problems.add(path + ": " + value + " (expected: " + expected + ")");
  }

  private static String shape(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "missing";
    }
    if (node.isTextual()) {
      return "\"" + node.asText() + "\"";
    }
    return node.toString();
  }
}
