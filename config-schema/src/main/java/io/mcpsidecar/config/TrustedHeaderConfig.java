package io.mcpsidecar.config;

import java.util.List;

/**
 * A tenant header set by a trusted gateway.
 *
 * @param enabled whether the header is read
 * @param header the header holding the tenant id
 * @param subjectHeader the header holding the subject
 * @param sourceCidrs networks the header is believed from
 */
public record TrustedHeaderConfig(
    boolean enabled, String header, String subjectHeader, List<String> sourceCidrs) {

  public TrustedHeaderConfig {
    sourceCidrs = List.copyOf(sourceCidrs);
  }
}
