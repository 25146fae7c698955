package io.mcpsidecar.injector.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "nginx, docker.io/library/nginx",
    "nginx:1.27, docker.io/library/nginx",
    "acme/weather, docker.io/acme/weather",
    "index.docker.io/acme/weather:2, docker.io/acme/weather",
    "ghcr.io/acme/weather-mcp:1.2, ghcr.io/acme/weather-mcp",
    "localhost:5000/team/mcp, localhost:5000/team/mcp",
    "registry.internal:5000/a/b/c:tag, registry.internal:5000/a/b/c"
  })
  void normalisesRepositoriesAsTheRuntimeResolvesThem(String image, String repository) {
    assertThat(ImageReference.parse(image).orElseThrow().repository()).isEqualTo(repository);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ghcr.io/acme/mcp@", "ghcr.io/acme/mcp:1.0@", "ghcr.io/acme/mcp"})
  void separatesTagAndDigest(String prefix) {
    var ref = ImageReference.parse(prefix.endsWith("@") ? prefix + DIGEST : prefix).orElseThrow();
    assertThat(ref.repository()).isEqualTo("ghcr.io/acme/mcp");
    assertThat(ref.digest().isPresent()).isEqualTo(prefix.endsWith("@"));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "UPPER/case", "ghcr.io/acme/mcp@sha256:short", "a b", "ghcr.io//x"})
  void rejectsInvalidReferences(String image) {
    assertThat(ImageReference.parse(image)).isEmpty();
  }
}
