package io.mcpsidecar.agent.identity;

import java.util.regex.Pattern;

/**
 * What a tenant id may look like, wherever it comes from (a claim, a header, the config): it
 * becomes a metric label, a log field and part of a Redis key, so it is short and plain.
 */
final class TenantIds {

  /** The same pattern as the schema's {@code tenantId}. */
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  private TenantIds() {}

  static boolean valid(String tenant) {
    return tenant != null && VALID.matcher(tenant).matches();
  }
}
