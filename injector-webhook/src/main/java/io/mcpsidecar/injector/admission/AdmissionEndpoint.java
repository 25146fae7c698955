package io.mcpsidecar.injector.admission;

import io.mcpsidecar.injector.mutation.PodView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an admission request becomes an HTTP reply: parse, decide, count, time and
 * log; a malformed review maps to 400 with the reason, an unexpected failure to 500 with no detail
 * (the detail goes to the log, with the request uid).
 */
public final class AdmissionEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger("io.mcpsidecar.injector.audit");

  /** Decides one well-formed request. */
  @FunctionalInterface
  public interface Decider {
    Verdict decide(AdmissionRequest request);
  }

  private final String webhook;
  private final Decider decider;
  private final AdmissionMetrics metrics;

  public AdmissionEndpoint(String webhook, Decider decider, AdmissionMetrics metrics) {
    this.webhook = webhook;
    this.decider = decider;
    this.metrics = metrics;
  }

  public Reply serve(byte[] body) {
    long start = System.nanoTime();
    AdmissionRequest request = null;
    try {
      request = ReviewParser.parse(body);
      Verdict verdict = decider.decide(request);
      metrics.count(webhook, verdict.outcome(), verdict.reason(), request.dryRun());
      LOG.info(
          "admission webhook={} uid={} operation={} namespace={} pod={} outcome={} reason={}"
              + " dryRun={}{}",
          webhook,
          request.uid(),
          request.operation(),
          request.namespace(),
          new PodView(request.object()).displayName(),
          verdict.outcome(),
          verdict.reason(),
          request.dryRun(),
          verdict.detail().isEmpty() ? "" : " " + verdict.detail());
      return new Reply(200, verdict.review());
    } catch (MalformedReviewException e) {
      metrics.count(webhook, "malformed", "malformed", false);
      LOG.warn("admission webhook={} malformed review: {}", webhook, e.getMessage());
      return new Reply(400, ReviewResponse.error("malformed AdmissionReview: " + e.getMessage()));
    } catch (RuntimeException e) {
      boolean dryRun = request != null && request.dryRun();
      metrics.count(webhook, "error", "internal", dryRun);
      String uid = request == null ? "?" : request.uid();
      LOG.error("admission webhook={} uid={} failed", webhook, uid, e);
      return new Reply(
          500, ReviewResponse.error("internal error (uid " + uid + "); see the webhook's log"));
    } finally {
      metrics.time(webhook, System.nanoTime() - start);
    }
  }
}
