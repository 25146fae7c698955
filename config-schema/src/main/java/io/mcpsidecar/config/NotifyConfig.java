package io.mcpsidecar.config;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Announcing new pending approvals: each is POSTed as JSON to {@code url}, never blocking the call.
 *
 * @param url where to POST, or null (the key empty or left out) for no announcements
 * @param timeout how long one POST may take
 * @param retries further attempts after a failed POST
 */
public record NotifyConfig(@Nullable URI url, Duration timeout, int retries) {

  public NotifyConfig {
    // The schema's default is the empty string: no URL.
    if (url != null && url.toString().isEmpty()) {
      url = null;
    }
  }
}
