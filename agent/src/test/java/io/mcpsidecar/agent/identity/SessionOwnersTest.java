package io.mcpsidecar.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestClock;
import io.mcpsidecar.agent.identity.SessionOwners.Standing;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionOwnersTest {

  static final Duration IDLE = Duration.ofHours(1);
  final TestClock clock = new TestClock(Instant.parse("2026-12-01T00:00:00Z"));
  final SessionOwners owners = new SessionOwners(clock);

  void open(String id, String principal) {
    long cost = SessionOwners.cost(256, principal);
    assertThat(owners.reserve(cost, 1 << 20, IDLE)).isTrue();
    owners.bindIssued(id, principal, cost, IDLE);
  }

  @Test
  void letsOnlyTheOwnerUseASession() {
    open("s1", "acme/ada");

    assertThat(owners.standing("s1", "acme/ada")).isEqualTo(Standing.OWNER);
    assertThat(owners.standing("s1", "acme/bob")).isEqualTo(Standing.OTHER);
    assertThat(owners.standing("s1", "globex/ada")).isEqualTo(Standing.OTHER);
  }

  @Test
  void recordsNothingForAnIdThatWasOnlyPresented() {
    assertThat(owners.standing("made-up", "acme/ada")).isEqualTo(Standing.UNKNOWN);
    assertThat(owners.standing("made-up", "acme/bob")).isEqualTo(Standing.UNKNOWN);
    assertThat(owners.size()).isZero();
    assertThat(owners.bytes()).isZero();
  }

  @Test
  void adoptsASessionTheServerAcceptedAndKeepsItForItsAdopter() {
    assertThat(owners.adopt("opened-before-a-restart", "acme/ada", 1 << 20, IDLE)).isTrue();

    assertThat(owners.standing("opened-before-a-restart", "acme/bob")).isEqualTo(Standing.OTHER);
    assertThat(owners.adopt("opened-before-a-restart", "acme/bob", 1 << 20, IDLE)).isFalse();
  }

  @Test
  void countsBytesAndGivesThemBackWhenTheOwnerForgetsTheSession() {
    open("s1", "acme/ada");
    long one = SessionOwners.cost(2, "acme/ada");
    assertThat(owners.bytes()).isEqualTo(one);

    owners.forget("s1", "acme/bob");
    assertThat(owners.bytes()).isEqualTo(one);
    owners.forget("s1", "acme/ada");
    assertThat(owners.bytes()).isZero();
    assertThat(owners.size()).isZero();
  }

  @Test
  void neverEvictsASessionInUseAndRefusesNewOnesInstead() {
    long max = 64 * 1024;
    String filler = "x".repeat(200);
    int adopted = 0;
    while (owners.adopt("junk-" + adopted + filler, "evil/mallory", max, IDLE)) {
      adopted++;
    }
    assertThat(owners.bytes()).isLessThanOrEqualTo(max);
    assertThat(adopted).isPositive();

    assertThat(owners.reserve(SessionOwners.cost(256, "acme/ada"), max, IDLE)).isFalse();
    assertThat(owners.standing("junk-0" + filler, "evil/mallory")).isEqualTo(Standing.OWNER);
  }

  @Test
  void makesRoomFromSessionsIdleLongerThanTheTimeout() {
    long max = 64 * 1024;
    long cost = SessionOwners.cost(256, "acme/ada");
    int opened = 0;
    while (owners.reserve(cost, max, IDLE)) {
      owners.bindIssued("s" + opened, "acme/ada", cost, IDLE);
      opened++;
    }
    clock.advance(IDLE.minusSeconds(1));
    owners.standing("s0", "acme/ada"); // still in use
    assertThat(owners.reserve(cost, max, IDLE)).isFalse();

    clock.advance(Duration.ofSeconds(1));
    assertThat(owners.reserve(cost, max, IDLE)).isTrue();
    assertThat(owners.standing("s0", "acme/ada")).isEqualTo(Standing.OWNER);
    assertThat(owners.standing("s1", "acme/ada")).isEqualTo(Standing.UNKNOWN);
    assertThat(owners.size()).isEqualTo(1);
  }

  @Test
  void aReleasedReservationFreesItsRoom() {
    long cost = SessionOwners.cost(256, "acme/ada");
    assertThat(owners.reserve(cost, cost, IDLE)).isTrue();
    assertThat(owners.reserve(cost, cost, IDLE)).isFalse();

    owners.release(cost);
    assertThat(owners.bytes()).isZero();
    assertThat(owners.reserve(cost, cost, IDLE)).isTrue();
  }
}
