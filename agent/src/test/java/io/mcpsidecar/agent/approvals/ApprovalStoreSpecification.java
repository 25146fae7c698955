package io.mcpsidecar.agent.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every approval store does: run against memory and against a real Redis. */
abstract class ApprovalStoreSpecification {

  static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  static final Duration TTL = Duration.ofMinutes(15);

  ApprovalStore store;

  abstract ApprovalStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Approval approval(String binding, Instant created) {
    return new Approval(
        Approvals.newId(),
        ApprovalState.PENDING,
        binding,
        "acme",
        "alice",
        "tools/call",
        "transfer",
        "big-payments",
        "v1",
        "d1",
        "{\"amount\":5000}",
        created,
        created.plus(TTL),
        null,
        null,
        null);
  }

  @Test
  void theSameBindingFindsTheSamePendingApproval() {
    Approval first = approval("b1", T0);
    ApprovalStore.Opened opened = await(store.open(first, T0, 10));
    assertThat(opened.created()).isTrue();
    ApprovalStore.Opened again = await(store.open(approval("b1", T0), T0.plusSeconds(5), 10));
    assertThat(again.created()).isFalse();
    assertThat(again.approval().id()).isEqualTo(first.id());
    assertThat(await(store.pending(T0))).extracting(Approval::id).containsExactly(first.id());
    assertThat(await(store.pendingCount(T0))).isEqualTo(1L);
    assertThat(await(store.pendingCount(T0.plus(TTL)))).isZero();
  }

  @Test
  void refusesANewApprovalWhenFullAndKeepsTheOthersWorking() {
    Approval a = await(store.open(approval("b1", T0), T0, 2)).approval();
    await(store.open(approval("b2", T0), T0, 2));
    Future<ApprovalStore.Opened> third = store.open(approval("b3", T0), T0, 2);
    assertThat(awaitFailure(third)).isInstanceOf(ApprovalStore.Full.class);
    assertThat(await(store.open(approval("b1", T0), T0, 2)).approval().id()).isEqualTo(a.id());
    assertThat(await(store.decide(a.id(), ApprovalState.APPROVED, T0, "bob", null)))
        .isInstanceOf(ApprovalStore.Decision.Done.class);
  }

  @Test
  void decidesOnceAndUsesOnce() {
    Approval a = await(store.open(approval("b1", T0), T0, 10)).approval();
    ApprovalStore.Decision d =
        await(store.decide(a.id(), ApprovalState.APPROVED, T0.plusSeconds(1), "bob", "ok"));
    assertThat(d).isInstanceOf(ApprovalStore.Decision.Done.class);
    Approval decided = ((ApprovalStore.Decision.Done) d).approval();
    assertThat(decided.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(decided.approver()).isEqualTo("bob");
    assertThat(decided.reason()).isEqualTo("ok");
    assertThat(await(store.decide(a.id(), ApprovalState.DENIED, T0, "eve", null)))
        .isInstanceOf(ApprovalStore.Decision.NotPending.class);
    assertThat(await(store.decide("apr_nope", ApprovalState.DENIED, T0, "eve", null)))
        .isInstanceOf(ApprovalStore.Decision.NotFound.class);
    assertThat(await(store.pending(T0))).isEmpty();
    assertThat(await(store.use(a.id(), T0.plusSeconds(2)))).isTrue();
    assertThat(await(store.use(a.id(), T0.plusSeconds(2)))).isFalse();
    assertThat(await(store.get(a.id())).state()).isEqualTo(ApprovalState.USED);
    // Used: the same binding needs a new approval.
    ApprovalStore.Opened next = await(store.open(approval("b1", T0), T0.plusSeconds(3), 10));
    assertThat(next.created()).isTrue();
    assertThat(next.approval().id()).isNotEqualTo(a.id());
  }

  @Test
  void manyConcurrentUsesOfOneApprovalSucceedOnce() {
    Approval a = await(store.open(approval("b1", T0), T0, 10)).approval();
    await(store.decide(a.id(), ApprovalState.APPROVED, T0, "bob", null));
    List<Future<Boolean>> uses = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      uses.add(store.use(a.id(), T0.plusSeconds(1)));
    }
    assertThat(uses.stream().map(ApprovalStoreSpecification::await).filter(b -> b).count())
        .isEqualTo(1);
  }

  @Test
  void anApprovalExpiresUnusedAndItsBindingGetsAFreshOne() {
    Approval a = await(store.open(approval("b1", T0), T0, 10)).approval();
    await(store.decide(a.id(), ApprovalState.APPROVED, T0, "bob", null));
    Instant late = T0.plus(TTL);
    assertThat(await(store.use(a.id(), late))).isFalse();
    ApprovalStore.Opened next = await(store.open(approval("b1", late), late, 10));
    assertThat(next.created()).isTrue();
    assertThat(next.previous()).isNotNull();
    assertThat(next.previous().id()).isEqualTo(a.id());
    assertThat(next.previous().state()).isEqualTo(ApprovalState.EXPIRED);
  }

  @Test
  void expiresPendingApprovalsOnceEach() {
    Approval a = await(store.open(approval("b1", T0), T0, 10)).approval();
    assertThat(await(store.expire(T0.plusSeconds(60)))).isEmpty();
    List<Approval> expired = await(store.expire(T0.plus(TTL)));
    assertThat(expired).extracting(Approval::id).containsExactly(a.id());
    assertThat(await(store.expire(T0.plus(TTL).plusSeconds(1)))).isEmpty();
    assertThat(await(store.pending(T0.plus(TTL)))).isEmpty();
    assertThat(await(store.decide(a.id(), ApprovalState.APPROVED, T0.plus(TTL), "bob", null)))
        .isInstanceOf(ApprovalStore.Decision.NotPending.class);
  }

  @Test
  void aDeniedApprovalAnswersItsBindingUntilItExpires() {
    Approval a = await(store.open(approval("b1", T0), T0, 10)).approval();
    await(store.decide(a.id(), ApprovalState.DENIED, T0, "bob", "too much"));
    ApprovalStore.Opened again = await(store.open(approval("b1", T0), T0.plusSeconds(1), 10));
    assertThat(again.created()).isFalse();
    assertThat(again.approval().state()).isEqualTo(ApprovalState.DENIED);
    assertThat(again.approval().reason()).isEqualTo("too much");
  }

  static Throwable awaitFailure(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
