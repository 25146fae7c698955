package io.mcpsidecar.injector.catalog;

import java.util.List;

/** The catalog's verdict on one pod; mapped to an AdmissionReview response in one place. */
public sealed interface CatalogDecision {

  /** Every image of the pod, as checked. */
  List<ImageCheck> checks();

  /** The pod is not labelled as an MCP server: the catalog does not apply. */
  record NotApplicable() implements CatalogDecision {
    @Override
    public List<ImageCheck> checks() {
      return List.of();
    }
  }

  /** Every image is approved. */
  record Allowed(List<ImageCheck> checks) implements CatalogDecision {
    public Allowed {
      checks = List.copyOf(checks);
    }
  }

  /** At least one image is not approved; {@link #problems()} says which and why. */
  record Denied(List<ImageCheck> checks) implements CatalogDecision {
    public Denied {
      checks = List.copyOf(checks);
    }

    public List<String> problems() {
      return checks.stream().filter(c -> c.problem() != null).map(ImageCheck::problem).toList();
    }
  }

  /**
   * The check of one container image.
   *
   * @param container the container name
   * @param image the image as written in the pod
   * @param approvedBy the catalog entry's owner, or "trusted" for trusted repositories; null when
   *     denied
   * @param reason a stable code for metrics: {@code approved}, {@code trusted}, {@code
   *     invalid-image}, {@code not-in-catalog}, {@code not-pinned}, {@code digest-not-approved}
   * @param problem why the image is denied; null when approved
   */
  record ImageCheck(
      String container, String image, String approvedBy, String reason, String problem) {}
}
