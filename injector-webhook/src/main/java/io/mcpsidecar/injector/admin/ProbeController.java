package io.mcpsidecar.injector.admin;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;

/**
 * Liveness, readiness and metrics, on the webhook's HTTPS port. {@code /healthz} only says the
 * process serves HTTP; {@code /readyz} reports every {@link ReadinessCheck} and fails when a
 * critical one does; {@code /metrics} is the Prometheus text format.
 */
@Controller
public class ProbeController {
  private static final JsonMapper JSON = new JsonMapper();
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final List<ReadinessCheck> checks;
  private final PrometheusMeterRegistry registry;

  public ProbeController(List<ReadinessCheck> checks, PrometheusMeterRegistry registry) {
    this.checks = List.copyOf(checks);
    this.registry = registry;
  }

  @Get(uri = "/healthz", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> healthz() {
    return HttpResponse.ok("{\"status\":\"ok\"}");
  }

  @Get(uri = "/readyz", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> readyz() throws Exception {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode detail = body.putObject("checks");
    boolean ready = true;
    for (ReadinessCheck check : checks) {
      ReadinessCheck.Status status = check.status();
      detail
          .putObject(check.name())
          .put("ready", status.ready())
          .put("critical", status.critical())
          .put("detail", status.detail());
      ready &= status.ready() || !status.critical();
    }
    body.put("status", ready ? "ready" : "not-ready");
    String json = JSON.writeValueAsString(body);
    return ready
        ? HttpResponse.ok(json)
        : HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE).body(json);
  }

  @Get(uri = "/metrics", produces = PROMETHEUS_TEXT)
  public String metrics() {
    return registry.scrape();
  }
}
