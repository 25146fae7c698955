package io.mcpsidecar.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.config.ApiKeyConfig;
import io.mcpsidecar.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  // FIPS 180-2 test vectors.
  static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void hashesAreSha256InLowerCaseHexEveryTimeOnTheSameThread() {
    for (int i = 0; i < 3; i++) {
      assertThat(ApiKeys.sha256("abc")).isEqualTo(ABC);
      assertThat(ApiKeys.sha256("")).isEqualTo(EMPTY);
    }
  }

  @Test
  void looksUpPlainAndHashedKeysAndNothingElse() {
    ApiKeys keys =
        new ApiKeys(
            List.of(
                new ApiKeyConfig(new Secret("abc"), "acme", ""),
                new ApiKeyConfig(new Secret("sha256:" + EMPTY.toUpperCase()), "globex", "bot")));

    assertThat(keys.lookup("abc")).isEqualTo(new Identity("acme", "apikey:ba7816bf", "api_key"));
    assertThat(keys.lookup("")).isEqualTo(new Identity("globex", "bot", "api_key"));
    assertThat(keys.lookup("abd")).isNull();
    assertThat(keys.lookup("abc")).as("again, after a miss").isNotNull();
    assertThat(keys.lookup("abc".repeat(2000))).isNull();
  }

  @Test
  void threadsHashingAtOnceEachGetTheirOwnRightAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String value = t % 2 == 0 ? "abc" : "";
        String expected = t % 2 == 0 ? ABC : EMPTY;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 20_000; i++) {
                    if (!ApiKeys.sha256(value).equals(expected)) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
