package io.mcpsidecar.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.mcp.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every error code the agent can answer with is documented, with its status and type. */
class ErrorCatalogTest {

  @ParameterizedTest(name = "{0}")
  @EnumSource(ErrorCode.class)
  void documentsEveryCode(ErrorCode code) throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "errors.md"));
    assertThat(doc)
        .contains("| " + code.code() + " | " + code.httpStatus() + " | `" + code.type() + "` |");
  }
}
