package io.mcpsidecar.agent.transport;

/** What an interceptor decided: let the call go on, or answer it with a rejection. */
public sealed interface Verdict {

  Verdict PROCEED = new Proceed();

  static Verdict reject(Rejection rejection) {
    return new Reject(rejection);
  }

  /** Pass the call to the next stage, and finally to the server. */
  record Proceed() implements Verdict {}

  /** Answer the client now; the server never sees the call. */
  record Reject(Rejection rejection) implements Verdict {}
}
