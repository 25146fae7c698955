package io.mcpsidecar.agent.identity;

import io.mcpsidecar.config.ApiKeyConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configured API keys, held only as SHA-256 hashes. A presented key is hashed and looked up, so
 * neither the table nor the lookup time reveals a usable key.
 */
final class ApiKeys {

  static final String HASH_PREFIX = "sha256:";

  private static final HexFormat HEX = HexFormat.of();

  /**
   * One digest per thread (an event loop's, in the agent): a {@code MessageDigest} is not
   * thread-safe, and looking one up per call costs a provider search. {@code digest()} resets it.
   */
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(ApiKeys::newDigest);

  private final Map<String, Identity> byHash = new HashMap<>();

  ApiKeys(List<ApiKeyConfig> keys) {
    for (ApiKeyConfig key : keys) {
      String value = key.key().reveal();
      String hash =
          value.startsWith(HASH_PREFIX)
              ? value.substring(HASH_PREFIX.length()).toLowerCase(Locale.ROOT)
              : sha256(value);
      String subject = key.subject().isEmpty() ? "apikey:" + hash.substring(0, 8) : key.subject();
      byHash.put(hash, new Identity(key.tenant(), subject, "api_key"));
    }
  }

  boolean isEmpty() {
    return byHash.isEmpty();
  }

  /** The identity of a presented key, or null when it is not known. */
  Identity lookup(String presented) {
    return presented.length() > 4096 ? null : byHash.get(sha256(presented));
  }

  static String sha256(String value) {
    MessageDigest digest = DIGEST.get();
    digest.reset(); // in case an earlier use on this thread did not finish
    return HEX.formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
