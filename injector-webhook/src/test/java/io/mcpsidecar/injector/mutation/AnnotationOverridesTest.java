package io.mcpsidecar.injector.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.injector.support.TestJson;
import org.junit.jupiter.api.Test;

class AnnotationOverridesTest {
  final InjectionSettings defaults = InjectionSettings.defaults("1");

  AnnotationOverrides.Parsed parse(String annotations) {
    return AnnotationOverrides.parse(TestJson.parse(annotations), defaults);
  }

  @Test
  void appliesEveryDocumentedAnnotation() {
    var parsed =
        parse(
            """
            {"mcp-sidecar.io/image":"r.example/agent:2","mcp-sidecar.io/config-map":"cfg",
             "mcp-sidecar.io/upstream-port":"http","mcp-sidecar.io/listen-port":"9100",
             "mcp-sidecar.io/admin-port":"9200","mcp-sidecar.io/log-level":"debug",
             "mcp-sidecar.io/native-sidecar":"false","mcp-sidecar.io/cpu-request":"20m",
             "mcp-sidecar.io/cpu-limit":"1","mcp-sidecar.io/memory-request":"100Mi",
             "mcp-sidecar.io/memory-limit":"0.5Gi"}
            """);
    assertThat(parsed.problems()).isEmpty();
    AgentOptions o = parsed.options();
    assertThat(o.image()).isEqualTo("r.example/agent:2");
    assertThat(o.configMap()).isEqualTo("cfg");
    assertThat(o.upstreamPort()).contains("http");
    assertThat(o.listenPort()).isEqualTo(9100);
    assertThat(o.adminPort()).isEqualTo(9200);
    assertThat(o.logLevel()).isEqualTo("DEBUG");
    assertThat(o.nativeSidecar()).isFalse();
    assertThat(o.resources().cpuLimit().orElseThrow().text()).isEqualTo("1");
    assertThat(o.resources().memoryLimit().orElseThrow().text()).isEqualTo("0.5Gi");
  }

  @Test
  void reportsEveryInvalidValueAtOnceWithPathValueAndExpectation() {
    var parsed =
        parse(
            """
            {"mcp-sidecar.io/config-map":"Bad_Name","mcp-sidecar.io/upstream-port":"-x-",
             "mcp-sidecar.io/admin-port":"0","mcp-sidecar.io/cpu-request":"lots"}
            """);
    assertThat(parsed.problems())
        .containsExactlyInAnyOrder(
            "metadata.annotations[\"mcp-sidecar.io/config-map\"]: \"Bad_Name\" (expected: a ConfigMap name (lower-case DNS subdomain))",
            "metadata.annotations[\"mcp-sidecar.io/upstream-port\"]: \"-x-\" (expected: a port number 1-65535 or the name of a container port (1-15 characters a-z, 0-9, -))",
            "metadata.annotations[\"mcp-sidecar.io/admin-port\"]: \"0\" (expected: a port number 1-65535)",
            "metadata.annotations[\"mcp-sidecar.io/cpu-request\"]: \"lots\" (expected: a Kubernetes quantity such as 100m, 0.5, 256Mi or 1Gi)");
  }

  @Test
  void warnsAboutUnknownAnnotationsUnderThePrefix() {
    var parsed = parse("{\"mcp-sidecar.io/imgae\":\"x\",\"other.io/thing\":\"y\"}");
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.warnings()).singleElement().asString().contains("mcp-sidecar.io/imgae");
  }

  @Test
  void quantitiesCompareAcrossSuffixes() {
    assertThat(Quantity.parse("1Gi").orElseThrow())
        .isGreaterThan(Quantity.parse("1000Mi").orElseThrow());
    assertThat(Quantity.parse("500m").orElseThrow())
        .isEqualByComparingTo(Quantity.parse("0.5").orElseThrow());
    assertThat(Quantity.parse("1e3").orElseThrow())
        .isEqualByComparingTo(Quantity.parse("1k").orElseThrow());
    assertThat(Quantity.parse("-1")).isEmpty();
    assertThat(Quantity.parse("12 Mi")).isEmpty();
  }
}
