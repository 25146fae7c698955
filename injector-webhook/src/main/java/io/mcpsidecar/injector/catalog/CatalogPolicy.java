package io.mcpsidecar.injector.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpsidecar.injector.catalog.CatalogDecision.ImageCheck;
import io.mcpsidecar.injector.mutation.PodKeys;
import io.mcpsidecar.injector.mutation.PodView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "Only deploy approved servers": checks every image of a pod labelled as an MCP server against the
 * catalog. Pure: catalog and pod in, decision out.
 */
public final class CatalogPolicy {
  private static final int LISTED = 5;

  private CatalogPolicy() {}

  /** Whether the pod is an MCP server: labelled so, or carrying the agent. */
  public static boolean isMcpServer(PodView pod) {
    return pod.label(PodKeys.MCP_SERVER).map("true"::equals).orElse(false)
        || pod.label(PodKeys.INJECTED).map("true"::equals).orElse(false)
        || pod.label(PodKeys.INJECT).map("true"::equals).orElse(false);
  }

  /**
   * Decides for one pod.
   *
   * @param alwaysTrusted repositories trusted whatever the catalog says (the agent image the
   *     webhook itself injects)
   */
  public static CatalogDecision decide(Catalog catalog, PodView pod, Set<String> alwaysTrusted) {
    if (!isMcpServer(pod)) {
      return new CatalogDecision.NotApplicable();
    }
    List<ImageCheck> checks = new ArrayList<>();
    for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
      for (JsonNode container : pod.spec().path(field)) {
        String name = container.path("name").asText("");
        String image = container.path("image").asText("");
        checks.add(check(catalog, alwaysTrusted, name, image));
      }
    }
    boolean denied = checks.stream().anyMatch(c -> c.problem() != null);
    return denied ? new CatalogDecision.Denied(checks) : new CatalogDecision.Allowed(checks);
  }

  private static ImageCheck check(
      Catalog catalog, Set<String> alwaysTrusted, String container, String image) {
    String subject = "container \"" + container + "\" image \"" + image + "\": ";
    Optional<ImageReference> parsed = ImageReference.parse(image);
    if (parsed.isEmpty()) {
      return denied(container, image, "invalid-image", subject + "not a valid image reference");
    }
    ImageReference ref = parsed.get();
    if (alwaysTrusted.contains(ref.repository())
        || catalog.trustedRepositories().contains(ref.repository())) {
      return new ImageCheck(container, image, "trusted", "trusted", null);
    }
    Optional<CatalogEntry> entry = catalog.entry(ref.repository());
    if (entry.isEmpty()) {
      return denied(
          container,
          image,
          "not-in-catalog",
          subject
              + "repository "
              + ref.repository()
              + " is not in the approved MCP server catalog"
              + approvedList(catalog));
    }
    CatalogEntry e = entry.get();
    if (e.demandsDigest() && ref.digest().isEmpty()) {
      return denied(
          container,
          image,
          "not-pinned",
          subject
              + "not pinned by digest; the catalog entry for "
              + e.repository()
              + " (owner "
              + e.owner()
              + ") requires "
              + e.repository()
              + "@sha256:...");
    }
    if (!e.digests().isEmpty() && !e.digests().contains(ref.digest().orElseThrow())) {
      return denied(
          container,
          image,
          "digest-not-approved",
          subject
              + "digest "
              + ref.digest().get()
              + " is not an approved digest of "
              + e.repository()
              + " (owner "
              + e.owner()
              + "; approved: "
              + e.digests().stream().sorted().limit(LISTED).collect(Collectors.joining(", "))
              + (e.digests().size() > LISTED ? ", ..." : "")
              + ")");
    }
    return new ImageCheck(container, image, e.owner(), "approved", null);
  }

  private static String approvedList(Catalog catalog) {
    if (catalog.servers().isEmpty()) {
      return " (the catalog approves no server)";
    }
    List<String> names = catalog.servers().stream().map(CatalogEntry::repository).sorted().toList();
    return " (approved: "
        + String.join(", ", names.subList(0, Math.min(LISTED, names.size())))
        + (names.size() > LISTED ? ", ..." : "")
        + ")";
  }

  private static ImageCheck denied(String container, String image, String reason, String problem) {
    return new ImageCheck(container, image, null, reason, problem);
  }
}
