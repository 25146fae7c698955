package io.mcpsidecar.injector.admission;

import io.mcpsidecar.injector.mutation.PodView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where an admission request becomes an HTTP reply: parse, decide, count, time and
 * log; a malformed review maps to 400 with the reason, an unexpected failure to 500 with no detail
 * (the detail goes to the log, with the request uid). Log lines are {@link LogLine}s: one line per
 * review, whatever the pod's names hold.
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
      // every value below may come from the request: LogLine escapes them all
      LogLine line =
          LogLine.of("admission")
              .add("webhook", webhook)
              .add("uid", request.uid())
              .add("operation", request.operation())
              .add("namespace", request.namespace())
              .add("pod", new PodView(request.object()).displayName());
      if (!request.subResource().isEmpty()) {
        line.add("subresource", request.subResource());
      }
      line.add("outcome", verdict.outcome())
          .add("reason", verdict.reason())
          .add("dryRun", request.dryRun());
      verdict.details().forEach(line::add);
      LOG.info("{}", line);
      return new Reply(200, verdict.review());
    } catch (MalformedReviewException e) {
      metrics.count(webhook, "malformed", "malformed", false);
      LOG.warn(
          "{}",
          LogLine.of("admission")
              .add("webhook", webhook)
              .add("outcome", "malformed")
              .add("problem", e.getMessage()));
      return new Reply(400, ReviewResponse.error("malformed AdmissionReview: " + e.getMessage()));
    } catch (RuntimeException e) {
      boolean dryRun = request != null && request.dryRun();
      metrics.count(webhook, "error", "internal", dryRun);
      String uid = request == null ? "?" : request.uid();
      LOG.error(
          "{}",
          LogLine.of("admission").add("webhook", webhook).add("uid", uid).add("outcome", "error"),
          e);
      return new Reply(
          500, ReviewResponse.error("internal error (uid " + uid + "); see the webhook's log"));
    } finally {
      metrics.time(webhook, System.nanoTime() - start);
    }
  }
}
