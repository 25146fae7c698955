package io.mcpsidecar.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionOwnersTest {

  @Test
  void letsOnlyTheOwnerUseASession() {
    SessionOwners owners = new SessionOwners(10);
    owners.bind("s1", "acme/ada");

    assertThat(owners.allows("s1", "acme/ada")).isTrue();
    assertThat(owners.allows("s1", "acme/bob")).isFalse();
    assertThat(owners.allows("s1", "globex/ada")).isFalse();
  }

  @Test
  void adoptsASessionItHasNotSeenOpened() {
    SessionOwners owners = new SessionOwners(10);

    assertThat(owners.allows("opened-before-a-restart", "acme/ada")).isTrue();
    assertThat(owners.allows("opened-before-a-restart", "acme/bob")).isFalse();
  }

  @Test
  void forgetsTheLeastRecentlyUsedBeyondItsCapacity() {
    SessionOwners owners = new SessionOwners(1_000);
    for (int i = 0; i < 100_000; i++) {
      owners.bind("s" + i, "p");
    }

    assertThat(owners.size()).isLessThanOrEqualTo(1_000);
  }
}
