package io.mcpsidecar.agent.transport;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Reuses a sane {@code X-Request-Id} from the client, or mints one. */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String of(String fromClient) {
    if (fromClient != null && SANE.matcher(fromClient).matches()) {
      return fromClient;
    }
    return mint();
  }

  /** 128 random bits as 32 hex digits, the shape of a W3C trace id. */
  static String mint() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    long hi = random.nextLong();
    long lo = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) ((hi >>> (60 - 4 * i)) & 0xF)];
      out[16 + i] = HEX[(int) ((lo >>> (60 - 4 * i)) & 0xF)];
    }
    return new String(out);
  }
}
