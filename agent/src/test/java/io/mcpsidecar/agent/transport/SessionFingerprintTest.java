package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** A session id's fingerprint is its hash, whether computed now or remembered from before. */
class SessionFingerprintTest {

  private static String expected(String id) throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
    return "sha256:" + HexFormat.of().formatHex(digest, 0, 6);
  }

  @Test
  void isTheFirstTwelveHexDigitsOfTheSha256() throws Exception {
    assertThat(SessionIds.fingerprint("abc")).isEqualTo("sha256:ba7816bf8f01");
    assertThat(SessionIds.fingerprint(null)).isNull();
  }

  @Test
  void staysRightForManyMoreSessionsThanItRemembers() throws Exception {
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 1_000; i++) {
        String id = "session-" + i;
        assertThat(SessionIds.fingerprint(id)).isEqualTo(expected(id));
      }
    }
  }
}
