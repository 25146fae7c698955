package io.mcpsidecar.injector.admission;

import io.mcpsidecar.injector.catalog.Catalog;
import io.mcpsidecar.injector.catalog.CatalogDecision;
import io.mcpsidecar.injector.catalog.CatalogPolicy;
import io.mcpsidecar.injector.catalog.CatalogSource;
import io.mcpsidecar.injector.catalog.ImageReference;
import io.mcpsidecar.injector.mutation.PodInjector;
import io.mcpsidecar.injector.mutation.PodView;
import io.micronaut.context.annotation.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /validate}: the catalog gate. Maps {@link CatalogDecision}s to AdmissionReview
 * responses; every decision is counted, logged, and recorded in the API server's audit log through
 * audit annotations.
 */
@Context
public final class ValidationHandler {
  static final String WEBHOOK = "validate";

  private final CatalogSource catalog;
  private final Set<String> alwaysTrusted;
  private final AdmissionEndpoint endpoint;

  public ValidationHandler(CatalogSource catalog, PodInjector injector, AdmissionMetrics metrics) {
    this.catalog = catalog;
    // the agent image the webhook injects is trusted by construction
    this.alwaysTrusted =
        ImageReference.parse(injector.settings().agentImage())
            .map(ref -> Set.of(ref.repository()))
            .orElse(Set.of());
    this.endpoint = new AdmissionEndpoint(WEBHOOK, this::decide, metrics);
  }

  public Reply handle(byte[] body) {
    return endpoint.serve(body);
  }

  Verdict decide(AdmissionRequest request) {
    if (!request.isPod()) {
      return allowed(request, "not-a-pod", Map.of());
    }
    if (!request.subResource().isEmpty()) {
      return allowed(request, "subresource", Map.of());
    }
    if (!request.operation().equals("CREATE") && !request.operation().equals("UPDATE")) {
      return allowed(request, "not-create-or-update", Map.of());
    }
    var pod = new PodView(request.object());
    if (!CatalogPolicy.isMcpServer(pod)) {
      return allowed(request, "not-mcp-server", Map.of());
    }
    Optional<Catalog> current = catalog.get();
    if (current.isEmpty()) {
      String message =
          "MCP server denied: no MCP server catalog is configured (WEBHOOK_CATALOG_FILE)";
      return new Verdict(
          "denied",
          "no-catalog",
          ReviewResponse.deny(
              request.uid(), 403, message, List.of(), Map.of("catalog-decision", "denied")),
          "");
    }
    CatalogDecision decision = CatalogPolicy.decide(current.get(), pod, alwaysTrusted);
    String images =
        decision.checks().stream()
            .map(c -> c.container() + "=" + c.image() + " (" + c.reason() + ")")
            .collect(Collectors.joining(", "));
    if (decision instanceof CatalogDecision.Denied denied) {
      String reason =
          denied.checks().stream()
              .filter(c -> c.problem() != null)
              .findFirst()
              .map(CatalogDecision.ImageCheck::reason)
              .orElse("denied");
      String message =
          "MCP server not approved by the catalog: " + String.join("; ", denied.problems());
      return new Verdict(
          "denied",
          reason,
          ReviewResponse.deny(
              request.uid(),
              403,
              message,
              List.of(),
              Map.of("catalog-decision", "denied", "catalog-images", images)),
          "images=[" + images + "]");
    }
    String owners =
        decision.checks().stream()
            .map(CatalogDecision.ImageCheck::approvedBy)
            .distinct()
            .collect(Collectors.joining(","));
    return new Verdict(
        "allowed",
        "approved",
        ReviewResponse.allow(
            request.uid(),
            List.of(),
            List.of(),
            Map.of("catalog-decision", "allowed", "catalog-images", images)),
        "images=[" + images + "] owners=" + owners);
  }

  private static Verdict allowed(
      AdmissionRequest request, String reason, Map<String, String> audit) {
    return new Verdict(
        "allowed", reason, ReviewResponse.allow(request.uid(), List.of(), List.of(), audit), "");
  }
}
