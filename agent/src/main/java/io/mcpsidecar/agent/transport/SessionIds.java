package io.mcpsidecar.agent.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an {@code Mcp-Session-Id} may look like, and how it appears in logs and spans. The MCP
 * transport says a session id consists only of visible ASCII (0x21 to 0x7E); the agent also bounds
 * its length ({@code edge.maxSessionIdBytes}), so an id becomes neither a heap nor a log burden. A
 * session id is a bearer secret for its session: logs and spans carry a short hash of it, never the
 * id itself.
 */
public final class SessionIds {

  /** The request and response header carrying the session id. */
  public static final String HEADER = "Mcp-Session-Id";

  /** {@code data.reason} of a request carrying a malformed or over-long session id. */
  static final String INVALID = "invalid_session_id";

  /** {@code data.reason} of a request carrying more than one session id header. */
  static final String DUPLICATE = "duplicate_session_id";

  private static final HexFormat HEX = HexFormat.of();
  private static final int REMEMBERED = 256;
  private static final ThreadLocal<Fingerprints> FINGERPRINTS =
      ThreadLocal.withInitial(Fingerprints::new);

  private SessionIds() {}

  /** Whether {@code id} is 1 to {@code maxBytes} characters of visible ASCII. */
  public static boolean valid(String id, int maxBytes) {
    if (id == null || id.isEmpty() || id.length() > maxBytes) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why the request's session id headers are refused ({@link #INVALID} or {@link #DUPLICATE}), or
   * null when there is none or exactly one that is valid.
   */
  static String problem(List<String> values, int maxBytes) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      return DUPLICATE;
    }
    return valid(values.get(0), maxBytes) ? null : INVALID;
  }

  /**
   * What logs and spans show for a session id: {@code sha256:} and the first 12 hex digits of its
   * hash. Enough to follow one session through the logs; useless for taking it over.
   */
  public static String fingerprint(String id) {
    if (id == null) {
      return null;
    }
    Fingerprints cache = FINGERPRINTS.get();
    String known = cache.get(id);
    if (known == null) {
      MessageDigest sha256 = cache.sha256;
      sha256.reset();
      byte[] digest = sha256.digest(id.getBytes(StandardCharsets.UTF_8));
      known = "sha256:" + HEX.formatHex(digest, 0, 6);
      cache.put(id, known);
    }
    return known;
  }

  /**
   * The fingerprints an event loop computed last (calls of one session come again and again), and
   * its own digest: a session id is hashed once per loop while it stays among the last {@value
   * #REMEMBERED}.
   */
  private static final class Fingerprints extends LinkedHashMap<String, String> {
    private static final long serialVersionUID = 1L;
    private final transient MessageDigest sha256;

    Fingerprints() {
      super(64, 0.75f, true);
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  }
}
