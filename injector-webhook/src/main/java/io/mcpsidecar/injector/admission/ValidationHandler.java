package io.mcpsidecar.injector.admission;

import io.mcpsidecar.injector.catalog.Catalog;
import io.mcpsidecar.injector.catalog.CatalogDecision;
import io.mcpsidecar.injector.catalog.CatalogPolicy;
import io.mcpsidecar.injector.catalog.CatalogSource;
import io.mcpsidecar.injector.catalog.ImageReference;
import io.mcpsidecar.injector.config.WebhookSettings;
import io.mcpsidecar.injector.mutation.PodInjector;
import io.mcpsidecar.injector.mutation.PodView;
import io.micronaut.context.annotation.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code POST /validate}: the catalog gate, for pods and for the containers {@code kubectl debug}
 * adds to them ({@code pods/ephemeralcontainers}). Maps {@link CatalogDecision}s to AdmissionReview
 * responses; every decision is counted, logged, and recorded in the API server's audit log through
 * audit annotations.
 */
@Context
public final class ValidationHandler {
  static final String WEBHOOK = "validate";

  private final CatalogSource catalog;
  private final Set<String> alwaysTrusted;
  private final boolean requireAgent;
  private final AdmissionEndpoint endpoint;

  public ValidationHandler(
      CatalogSource catalog,
      PodInjector injector,
      WebhookSettings settings,
      AdmissionMetrics metrics) {
    this.catalog = catalog;
    // the agent image the webhook injects is trusted by construction
    this.alwaysTrusted =
        ImageReference.parse(injector.settings().agentImage())
            .map(ref -> Set.of(ref.repository()))
            .orElse(Set.of());
    this.requireAgent = settings.catalogRequireAgent();
    this.endpoint = new AdmissionEndpoint(WEBHOOK, this::decide, metrics);
  }

  public Reply handle(byte[] body) {
    return endpoint.serve(body);
  }

  Verdict decide(AdmissionRequest request) {
    if (!request.isPod()) {
      return allowed(request, "not-a-pod", Map.of());
    }
    boolean ephemeral = request.subResource().equals(AdmissionRequest.EPHEMERAL_CONTAINERS);
    if (!request.subResource().isEmpty() && !ephemeral) {
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
              request.uid(), 403, message, List.of(), Map.of("catalog-decision", "denied")));
    }
    CatalogDecision decision =
        ephemeral
            ? CatalogPolicy.decideEphemeral(
                current.get(), pod, new PodView(request.oldObject()), alwaysTrusted)
            : CatalogPolicy.decide(current.get(), pod, alwaysTrusted);
    List<String> problems = new ArrayList<>();
    String reason = null;
    // only at creation: a pod's containers never change afterwards, and refusing the updates of
    // pods created before the option was turned on would block their labels and finalizers
    if (requireAgent && !ephemeral && request.operation().equals("CREATE")) {
      Optional<String> missing = CatalogPolicy.missingAgent(current.get(), pod, alwaysTrusted);
      if (missing.isPresent()) {
        problems.add(missing.get());
        reason = "agent-missing";
      }
    }
    if (decision instanceof CatalogDecision.Denied denied) {
      problems.addAll(denied.problems());
      if (reason == null) {
        reason =
            denied.checks().stream()
                .filter(c -> c.problem() != null)
                .findFirst()
                .map(CatalogDecision.ImageCheck::reason)
                .orElse("denied");
      }
    }
    String images =
        decision.checks().stream()
            .map(c -> c.container() + "=" + c.image() + " (" + c.reason() + ")")
            .collect(Collectors.joining(", "));
    if (!problems.isEmpty()) {
      String message = "MCP server not approved by the catalog: " + String.join("; ", problems);
      return new Verdict(
          "denied",
          reason,
          ReviewResponse.deny(
              request.uid(),
              403,
              message,
              List.of(),
              Map.of("catalog-decision", "denied", "catalog-images", images)),
          Verdict.fields("images", images));
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
        Verdict.fields("images", images, "owners", owners));
  }

  private static Verdict allowed(
      AdmissionRequest request, String reason, Map<String, String> audit) {
    return new Verdict(
        "allowed", reason, ReviewResponse.allow(request.uid(), List.of(), List.of(), audit));
  }
}
