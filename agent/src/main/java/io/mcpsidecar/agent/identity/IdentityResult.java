package io.mcpsidecar.agent.identity;

/** The outcome of resolving a call's identity: a value, never an exception. */
sealed interface IdentityResult {

  static IdentityResult of(Identity identity) {
    return new Resolved(identity);
  }

  static IdentityResult failed(IdentityFailure failure) {
    return new Failed(failure);
  }

  record Resolved(Identity identity) implements IdentityResult {}

  record Failed(IdentityFailure failure) implements IdentityResult {}
}
