package io.mcpsidecar.injector.admission;

import io.mcpsidecar.injector.mutation.InjectionResult;
import io.mcpsidecar.injector.mutation.PodInjector;
import io.micronaut.context.annotation.Context;
import java.util.List;
import java.util.Map;

/** {@code POST /mutate}: maps {@link InjectionResult}s to AdmissionReview responses. */
@Context
public final class MutationHandler {
  static final String WEBHOOK = "mutate";

  private final PodInjector injector;
  private final AdmissionEndpoint endpoint;

  public MutationHandler(PodInjector injector, AdmissionMetrics metrics) {
    this.injector = injector;
    this.endpoint = new AdmissionEndpoint(WEBHOOK, this::decide, metrics);
  }

  public Reply handle(byte[] body) {
    return endpoint.serve(body);
  }

  Verdict decide(AdmissionRequest request) {
    if (!request.isPod()) {
      return ignored(request, "not-a-pod");
    }
    if (!request.subResource().isEmpty()) {
      return ignored(request, "subresource");
    }
    if (!request.operation().equals("CREATE")) {
      return ignored(request, "not-create");
    }
    InjectionResult result = injector.inject(request.object(), request.namespace());
    if (result instanceof InjectionResult.Injected injected) {
      return new Verdict(
          "injected",
          "injected",
          ReviewResponse.allow(
              request.uid(),
              injected.operations(),
              injected.warnings(),
              Map.of("injection", "injected")),
          Verdict.fields(
              "upstreamPort",
              String.valueOf(injected.upstream().port()),
              "ops",
              String.valueOf(injected.operations().size())));
    }
    if (result instanceof InjectionResult.Skipped skipped) {
      String reason = skipped.reason().label();
      return new Verdict(
          "skipped",
          reason,
          ReviewResponse.allow(
              request.uid(),
              skipped.operations(),
              skipped.warnings(),
              Map.of("injection", "skipped", "skip-reason", reason)));
    }
    var rejected = (InjectionResult.Rejected) result;
    String message = "MCP Sidecar injection refused: " + String.join("; ", rejected.problems());
    return new Verdict(
        "rejected",
        "invalid-pod",
        ReviewResponse.deny(
            request.uid(), 400, message, rejected.warnings(), Map.of("injection", "rejected")),
        Verdict.fields("problems", String.valueOf(rejected.problems().size())));
  }

  private static Verdict ignored(AdmissionRequest request, String reason) {
    return new Verdict(
        "ignored", reason, ReviewResponse.allow(request.uid(), List.of(), List.of(), Map.of()));
  }
}
