package io.mcpsidecar.injector.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The validator that judges patched pods must itself catch what the API server rejects. */
class PodSchemaTest {
  static final String VALID =
      """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
       "spec":{"containers":[{"name":"a","image":"x","ports":[{"name":"mcp","containerPort":80}]}]}}
      """;

  @Test
  void acceptsAMinimalPod() {
    assertThat(PodSchema.violations(TestJson.parse(VALID))).isEmpty();
  }

  @Test
  void rejectsAnUnknownContainerField() {
    String pod =
        VALID.replace("\"image\":\"x\"", "\"image\":\"x\",\"imagePullPolicyy\":\"Always\"");
    assertThat(PodSchema.violations(TestJson.parse(pod))).isNotEmpty();
  }

  @Test
  void rejectsAWronglyTypedField() {
    String pod = VALID.replace("\"containerPort\":80", "\"containerPort\":\"eighty\"");
    assertThat(PodSchema.violations(TestJson.parse(pod))).isNotEmpty();
  }

  @Test
  void rejectsRestartPolicyOnARegularContainer() {
    String pod = VALID.replace("\"image\":\"x\"", "\"image\":\"x\",\"restartPolicy\":\"Always\"");
    assertThat(PodSchema.violations(TestJson.parse(pod)))
        .anyMatch(v -> v.contains("restartPolicy on regular container"));
  }

  @Test
  void rejectsLongAndDuplicatePortNamesAndPortClashes() {
    String pod =
        VALID.replace(
            "[{\"name\":\"mcp\",\"containerPort\":80}]",
            "[{\"name\":\"mcp\",\"containerPort\":80},{\"name\":\"mcp\",\"containerPort\":80},"
                + "{\"name\":\"a-very-long-port-name\",\"containerPort\":81}]");
    assertThat(PodSchema.violations(TestJson.parse(pod)))
        .anyMatch(v -> v.contains("duplicate port name mcp"))
        .anyMatch(v -> v.contains("longer than 15"))
        .anyMatch(v -> v.contains("clashes"));
  }
}
