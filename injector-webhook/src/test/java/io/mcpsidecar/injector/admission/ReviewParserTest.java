package io.mcpsidecar.injector.admission;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpsidecar.injector.support.TestJson;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReviewParserTest {
  static String valid() {
    return TestJson.review("u-1", "CREATE", "ns", TestJson.parse("{\"metadata\":{},\"spec\":{}}"))
        .toString();
  }

  @Test
  void readsAWellFormedReview() throws Exception {
    AdmissionRequest request = ReviewParser.parse(valid().getBytes(UTF_8));
    assertThat(request.uid()).isEqualTo("u-1");
    assertThat(request.isPod()).isTrue();
    assertThat(request.namespace()).isEqualTo("ns");
    assertThat(request.dryRun()).isFalse();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("empty body", "", "empty body"),
        Arguments.of("not JSON", "{\"apiVersion\":", "not valid JSON"),
        Arguments.of("trailing garbage", valid() + " {}", "not valid JSON"),
        Arguments.of("a JSON array", "[]", "not a JSON object"),
        Arguments.of(
            "v1beta1 review",
            valid().replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1"),
            "apiVersion: \"admission.k8s.io/v1beta1\" (expected: \"admission.k8s.io/v1\")"),
        Arguments.of(
            "wrong kind", valid().replace("\"AdmissionReview\"", "\"Pod\""), "kind: \"Pod\""),
        Arguments.of("no uid", valid().replace("\"uid\":\"u-1\",", ""), "request.uid: missing"),
        Arguments.of(
            "unknown operation",
            valid().replace("\"CREATE\"", "\"PATCH\""),
            "request.operation: \"PATCH\""),
        Arguments.of(
            "dryRun not boolean",
            valid().replace("\"dryRun\":false", "\"dryRun\":\"yes\""),
            "request.dryRun"),
        Arguments.of(
            "object missing",
            valid().replace("\"object\":{\"metadata\":{},\"spec\":{}}", "\"object\":null"),
            "request.object"),
        Arguments.of("deeply nested", "[".repeat(5000) + "]".repeat(5000), "not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void explainsWhyAReviewIsMalformed(String name, String body, String message) {
    assertThatThrownBy(() -> ReviewParser.parse(body.getBytes(UTF_8)))
        .isInstanceOf(MalformedReviewException.class)
        .hasMessageContaining(message);
  }
}
