package io.mcpsidecar.injector.mutation;

import java.util.List;

/**
 * What the injector decided for one pod: outcomes are values, mapped to an AdmissionReview response
 * in one place ({@code admission.MutationHandler}).
 */
public sealed interface InjectionResult {

  /** The operations to send back; empty means "no patch". */
  List<PatchOperation> operations();

  /** Human-readable notes for the user, returned as admission warnings. */
  List<String> warnings();

  /** The agent is injected by {@code operations}. */
  record Injected(List<PatchOperation> operations, List<String> warnings, UpstreamPort upstream)
      implements InjectionResult {
    public Injected {
      operations = List.copyOf(operations);
      warnings = List.copyOf(warnings);
    }
  }

  /** The agent is not injected; {@code operations} at most record the reason on the pod. */
  record Skipped(SkipReason reason, List<PatchOperation> operations, List<String> warnings)
      implements InjectionResult {
    public Skipped {
      operations = List.copyOf(operations);
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * The pod asks for something the injector cannot do (an invalid annotation value, a port that
   * clashes with the agent's): the pod is denied with every problem listed, rather than started
   * without the governance it asked for.
   */
  record Rejected(List<String> problems, List<String> warnings) implements InjectionResult {
    public Rejected {
      problems = List.copyOf(problems);
      warnings = List.copyOf(warnings);
    }

    @Override
    public List<PatchOperation> operations() {
      return List.of();
    }
  }
}
