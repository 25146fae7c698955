package io.mcpsidecar.config;

import java.util.List;

/**
 * An HTTP check: a GET that is up when its status is one of {@code expectStatus} and its body
 * contains {@code expectBody}.
 *
 * @param url the URL to GET; empty: not an HTTP check
 * @param expectStatus statuses that count as up
 * @param expectBody text the body must contain; empty: any body
 */
public record HttpCheckConfig(String url, List<Integer> expectStatus, String expectBody) {

  public HttpCheckConfig {
    expectStatus = List.copyOf(expectStatus);
  }

  /** Whether this is an HTTP check at all (its URL is set). */
  public boolean enabled() {
    return !url.isEmpty();
  }
}
