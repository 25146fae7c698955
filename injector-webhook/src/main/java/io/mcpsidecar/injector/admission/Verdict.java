package io.mcpsidecar.injector.admission;

/**
 * One answered review: the AdmissionReview response and what to count and log about it.
 *
 * @param outcome metric label: injected, skipped, rejected, ignored, allowed, denied
 * @param reason metric label: a stable code explaining the outcome
 * @param review the AdmissionReview response body
 * @param detail extra key=value text for the log line (never request content)
 */
public record Verdict(String outcome, String reason, byte[] review, String detail) {}
