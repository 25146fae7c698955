package io.mcpsidecar.agent.approvals;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Approvals in this agent's memory: lost on restart and not shared with other replicas. Bounded: at
 * most {@code maxPending} pending approvals; when full a new approval request is refused ({@link
 * ApprovalStore.Full}) and the ones held keep working. Records are dropped once expired (decided
 * and used ones too), so the table holds at most what was asked for within one ttl.
 *
 * <p>Every operation is a few map steps under one lock, never I/O: cheap enough for the event loop.
 */
final class MemoryApprovalStore implements ApprovalStore {

  private final Map<String, Approval> byId = new HashMap<>();
  private final Map<String, String> byBinding = new HashMap<>();

  @Override
  public synchronized Future<Opened> open(Approval fresh, Instant now, int maxPending) {
    String currentId = byBinding.get(fresh.binding());
    Approval current = currentId == null ? null : byId.get(currentId);
    if (current != null && current.liveAt(now)) {
      return Future.succeededFuture(new Opened(current, false, null));
    }
    if (pendingNow(now) >= maxPending) {
      dropExpired(now);
      if (pendingNow(now) >= maxPending) {
        return Future.failedFuture(new Full(maxPending));
      }
    }
    Approval previous = current == null ? null : current.inState(current.stateAt(now));
    if (current != null) {
      byId.put(current.id(), previous);
    }
    byId.put(fresh.id(), fresh);
    byBinding.put(fresh.binding(), fresh.id());
    return Future.succeededFuture(new Opened(fresh, true, previous));
  }

  @Override
  public synchronized Future<@Nullable Approval> get(String id) {
    return Future.succeededFuture(byId.get(id));
  }

  @Override
  public synchronized Future<List<Approval>> pending(Instant now) {
    List<Approval> out = new ArrayList<>();
    for (Approval a : byId.values()) {
      if (a.state() == ApprovalState.PENDING && !a.expiredAt(now)) {
        out.add(a);
      }
    }
    out.sort(Comparator.comparing(Approval::createdAt));
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<Long> pendingCount(Instant now) {
    return Future.succeededFuture((long) pendingNow(now));
  }

  @Override
  public synchronized Future<Decision> decide(
      String id, ApprovalState to, Instant now, String approver, @Nullable String reason) {
    Approval a = byId.get(id);
    if (a == null) {
      return Future.succeededFuture(new Decision.NotFound());
    }
    if (a.stateAt(now) != ApprovalState.PENDING) {
      return Future.succeededFuture(new Decision.NotPending(a.inState(a.stateAt(now))));
    }
    Approval decided = a.decided(to, now, approver, reason);
    byId.put(id, decided);
    return Future.succeededFuture(new Decision.Done(decided));
  }

  @Override
  public synchronized Future<Boolean> use(String id, Instant now) {
    Approval a = byId.get(id);
    if (a == null || a.stateAt(now) != ApprovalState.APPROVED) {
      return Future.succeededFuture(false);
    }
    byId.put(id, a.inState(ApprovalState.USED));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<Approval>> expire(Instant now) {
    List<Approval> expired = new ArrayList<>();
    for (Map.Entry<String, Approval> e : byId.entrySet()) {
      Approval a = e.getValue();
      if (a.state() == ApprovalState.PENDING && a.expiredAt(now)) {
        Approval marked = a.inState(ApprovalState.EXPIRED);
        e.setValue(marked);
        expired.add(marked);
      }
    }
    dropExpired(now);
    return Future.succeededFuture(expired);
  }

  /**
   * Drops records one ttl after they expired (so a retry soon after expiry still learns that its
   * approval expired); pending ones stay until {@link #expire} has reported them.
   */
  private void dropExpired(Instant now) {
    Iterator<Approval> it = byId.values().iterator();
    while (it.hasNext()) {
      Approval a = it.next();
      if (a.state() != ApprovalState.PENDING && !now.isBefore(a.retainUntil())) {
        it.remove();
        byBinding.remove(a.binding(), a.id());
      }
    }
  }

  private int pendingNow(Instant now) {
    int n = 0;
    for (Approval a : byId.values()) {
      if (a.state() == ApprovalState.PENDING && !a.expiredAt(now)) {
        n++;
      }
    }
    return n;
  }

  synchronized int size() {
    return byId.size();
  }

  @Override
  public void close() {}
}
