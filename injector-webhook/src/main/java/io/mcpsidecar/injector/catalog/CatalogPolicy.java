package io.mcpsidecar.injector.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpsidecar.injector.catalog.CatalogDecision.ImageCheck;
import io.mcpsidecar.injector.mutation.PodKeys;
import io.mcpsidecar.injector.mutation.PodView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "Only deploy approved servers": checks every image of a pod labelled as an MCP server against the
 * catalog, the images of containers added later through {@code kubectl debug}, and, where the
 * catalog requires it, that the pod carries the agent. Pure: catalog and pod in, decision out.
 */
public final class CatalogPolicy {
  private static final int LISTED = 5;
  private static final String EPHEMERAL = "ephemeralContainers";

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
    for (String field : List.of("initContainers", "containers", EPHEMERAL)) {
      for (JsonNode container : pod.spec().path(field)) {
        checks.add(check(catalog, alwaysTrusted, field, container));
      }
    }
    return decision(checks);
  }

  /**
   * Decides for containers added to a running pod through its {@code ephemeralcontainers}
   * subresource ({@code kubectl debug}): each ephemeral container that {@code before} did not have
   * (by name and image) must pass the same checks as the pod's own containers. Those already
   * admitted are not checked again: ephemeral containers can be neither changed nor removed, so a
   * catalog edit must not lock a pod out of debugging for good.
   *
   * @param before the pod as it was; a missing node means every ephemeral container is new
   */
  public static CatalogDecision decideEphemeral(
      Catalog catalog, PodView pod, PodView before, Set<String> alwaysTrusted) {
    if (!isMcpServer(pod)) {
      return new CatalogDecision.NotApplicable();
    }
    Set<List<String>> admitted = new HashSet<>();
    for (JsonNode old : before.spec().path(EPHEMERAL)) {
      admitted.add(nameAndImage(old));
    }
    List<ImageCheck> checks = new ArrayList<>();
    for (JsonNode container : pod.spec().path(EPHEMERAL)) {
      if (!admitted.contains(nameAndImage(container))) {
        checks.add(check(catalog, alwaysTrusted, EPHEMERAL, container));
      }
    }
    return decision(checks);
  }

  /**
   * Why an MCP server pod does not carry the agent, when the catalog requires it; empty when it
   * does. The agent is a container named {@value PodKeys#AGENT_CONTAINER} that runs for the life of
   * the pod (a regular container, or an init container with {@code restartPolicy: Always}) from the
   * agent's repository or one the catalog trusts. The {@code mcp-sidecar.io/injected} label alone
   * proves nothing: anyone who writes the pod can set it.
   *
   * @param agentRepositories the repositories of the agent image the webhook injects
   */
  public static Optional<String> missingAgent(
      Catalog catalog, PodView pod, Set<String> agentRepositories) {
    String required = "the catalog requires the MCP Sidecar agent in every MCP server pod";
    for (String field : List.of("initContainers", "containers")) {
      for (JsonNode container : pod.spec().path(field)) {
        if (!PodKeys.AGENT_CONTAINER.equals(container.path("name").asText(null))) {
          continue;
        }
        if (field.equals("initContainers")
            && !"Always".equals(container.path("restartPolicy").asText(""))) {
          return Optional.of(
              required
                  + ", and init container \""
                  + PodKeys.AGENT_CONTAINER
                  + "\" is not one: it has no restartPolicy: Always, so it would not run beside"
                  + " the server");
        }
        String image = container.path("image").asText("");
        Optional<String> repository = ImageReference.parse(image).map(ImageReference::repository);
        if (repository.isEmpty()
            || !(agentRepositories.contains(repository.get())
                || catalog.trustedRepositories().contains(repository.get()))) {
          return Optional.of(
              required
                  + ", and container \""
                  + PodKeys.AGENT_CONTAINER
                  + "\" runs image \""
                  + image
                  + "\", which is neither the agent's repository ("
                  + String.join(", ", agentRepositories.stream().sorted().toList())
                  + ") nor a trusted repository of the catalog");
        }
        return Optional.empty();
      }
    }
    String why =
        pod.annotation(PodKeys.SKIP_REASON)
            .map(
                reason ->
                    "the injector skipped it (annotation "
                        + PodKeys.SKIP_REASON
                        + ": "
                        + reason
                        + "; see docs/injection.md)")
            .orElse(
                "label the pod or its namespace "
                    + PodKeys.INJECT
                    + ": \"true\"; if it is labelled, the injector did not answer (check that"
                    + " the mutating webhook is reachable)");
    return Optional.of(
        required
            + ", and this pod has none (no container \""
            + PodKeys.AGENT_CONTAINER
            + "\"): "
            + why);
  }

  private static List<String> nameAndImage(JsonNode container) {
    return List.of(container.path("name").asText(""), container.path("image").asText(""));
  }

  private static CatalogDecision decision(List<ImageCheck> checks) {
    boolean denied = checks.stream().anyMatch(c -> c.problem() != null);
    return denied ? new CatalogDecision.Denied(checks) : new CatalogDecision.Allowed(checks);
  }

  private static ImageCheck check(
      Catalog catalog, Set<String> alwaysTrusted, String field, JsonNode container) {
    String name = container.path("name").asText("");
    String image = container.path("image").asText("");
    String kind = field.equals(EPHEMERAL) ? "ephemeral container" : "container";
    return check(catalog, alwaysTrusted, kind, name, image);
  }

  private static ImageCheck check(
      Catalog catalog, Set<String> alwaysTrusted, String kind, String container, String image) {
    String subject = kind + " \"" + container + "\" image \"" + image + "\": ";
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
