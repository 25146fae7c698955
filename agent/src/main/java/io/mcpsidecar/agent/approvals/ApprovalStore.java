package io.mcpsidecar.agent.approvals;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where approvals live: in this agent's memory, or in Redis shared by every replica. Every step
 * that changes an approval is atomic in the store, so two callers (two replicas) never both open a
 * pending approval for one binding, both decide one approval, or both use one.
 */
interface ApprovalStore extends AutoCloseable {

  /**
   * The live approval of {@code fresh.binding()} (pending, approved or denied, not expired), or
   * {@code fresh} stored as a new pending approval when there is none. Fails with {@link Full} when
   * a new one is needed and the store holds {@code maxPending} pending approvals.
   */
  Future<Opened> open(Approval fresh, Instant now, int maxPending);

  /** The approval with this id, or null (unknown, or gone from the store after it expired). */
  Future<@Nullable Approval> get(String id);

  /** The pending approvals not expired at {@code now}, oldest first. */
  Future<List<Approval>> pending(Instant now);

  /** How many pending approvals are not expired at {@code now} (all of them, not a page). */
  Future<Long> pendingCount(Instant now);

  /** Approves or denies a pending approval. */
  Future<Decision> decide(
      String id, ApprovalState to, Instant now, String approver, @Nullable String reason);

  /**
   * Uses an approved approval: it becomes {@code used}, atomically; true for exactly one caller.
   */
  Future<Boolean> use(String id, Instant now);

  /** Marks the pending approvals expired by {@code now} as expired and returns them (once each). */
  Future<List<Approval>> expire(Instant now);

  @Override
  void close();

  /** What {@link #open} found or made. */
  record Opened(Approval approval, boolean created, @Nullable Approval previous) {}

  /** What {@link #decide} did. */
  sealed interface Decision {
    /** Decided: the approval as it is now. */
    record Done(Approval approval) implements Decision {}

    /** No approval with that id. */
    record NotFound() implements Decision {}

    /** Not pending any more (decided, used or expired): left as it was. */
    record NotPending(Approval approval) implements Decision {}
  }

  /** The store holds as many pending approvals as it may. */
  final class Full extends RuntimeException {
    Full(int maxPending) {
      super("the approval store holds its maximum of " + maxPending + " pending approvals");
    }
  }
}
