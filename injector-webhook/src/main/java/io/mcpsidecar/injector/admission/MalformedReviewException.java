package io.mcpsidecar.injector.admission;

/** The body is not an AdmissionReview v1 request the webhook can answer; maps to HTTP 400. */
public final class MalformedReviewException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedReviewException(String message) {
    super(message, null, false, false);
  }
}
