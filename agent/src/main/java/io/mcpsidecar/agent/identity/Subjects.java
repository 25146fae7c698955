package io.mcpsidecar.agent.identity;

import java.util.regex.Pattern;

/**
 * What a subject taken from a header may look like. Like a tenant id it lands in logs, audit events
 * and the session table, so it is bounded and plain: 1 to 256 characters, starting with a letter or
 * digit, then letters, digits and {@code . _ : @ | + / = ~ -} (emails, URNs, provider ids such as
 * {@code auth0|123}).
 */
final class Subjects {

  static final int MAX_LENGTH = 256;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@|+/=~-]{0,255}");

  private Subjects() {}

  static boolean valid(String subject) {
    return subject != null && VALID.matcher(subject).matches();
  }
}
