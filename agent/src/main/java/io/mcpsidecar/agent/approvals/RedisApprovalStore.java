package io.mcpsidecar.agent.approvals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.mcpsidecar.agent.transport.ContextBound;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Approvals in Redis, shared by every replica that uses the same Redis and key prefix, and kept
 * across restarts. Each step that changes an approval is one Lua script, so it is atomic: two
 * replicas never open two pending approvals for one binding, decide one approval twice, or both use
 * one. Records carry a Redis TTL (one approval ttl past their expiry), so nothing stays forever.
 * All keys share the hash tag {@code {approvals}}, so the scripts also run on a Redis Cluster.
 *
 * <p>Keys: {@code <prefix>{approvals}:a:<id>} (the record, JSON), {@code
 * <prefix>{approvals}:b:<binding>} (the binding's current approval id), {@code
 * <prefix>{approvals}:pending} (a sorted set of pending ids by expiry).
 */
final class RedisApprovalStore implements ApprovalStore {

  /** Pending approvals listed or expired at most per request. */
  static final int MAX_BATCH = 1000;

  private static final String OPEN =
      """
      local now = tonumber(ARGV[2])
      local id = redis.call('GET', KEYS[1])
      local prev = false
      if id then
        local raw = redis.call('GET', ARGV[7] .. id)
        if raw then
          local rec = cjson.decode(raw)
          if tonumber(rec.expiresAt) > now and (rec.state == 'pending'
              or rec.state == 'approved' or rec.state == 'denied') then
            return {0, raw}
          end
          prev = raw
        end
      end
      if redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf') >= tonumber(ARGV[3]) then
        return {2}
      end
      redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[4])
      redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[4])
      redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5])
      if prev then return {1, ARGV[1], prev} end
      return {1, ARGV[1]}
      """;

  private static final String DECIDE =
      """
      local raw = redis.call('GET', KEYS[1])
      if not raw then return {0} end
      local rec = cjson.decode(raw)
      if rec.state ~= 'pending' or tonumber(rec.expiresAt) <= tonumber(ARGV[1]) then
        return {1, raw}
      end
      rec.state = ARGV[2]
      rec.decidedAt = tonumber(ARGV[1])
      rec.approver = ARGV[3]
      if ARGV[4] ~= '' then rec.reason = ARGV[4] end
      local out = cjson.encode(rec)
      redis.call('SET', KEYS[1], out, 'KEEPTTL')
      redis.call('ZREM', KEYS[2], rec.id)
      return {2, out}
      """;

  private static final String USE =
      """
      local raw = redis.call('GET', KEYS[1])
      if not raw then return 0 end
      local rec = cjson.decode(raw)
      if rec.state ~= 'approved' or tonumber(rec.expiresAt) <= tonumber(ARGV[1]) then
        return 0
      end
      rec.state = 'used'
      redis.call('SET', KEYS[1], cjson.encode(rec), 'KEEPTTL')
      return 1
      """;

  private static final String EXPIRE =
      """
      local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
      local out = {}
      for _, id in ipairs(ids) do
        redis.call('ZREM', KEYS[1], id)
        local key = ARGV[2] .. id
        local raw = redis.call('GET', key)
        if raw then
          local rec = cjson.decode(raw)
          if rec.state == 'pending' then
            rec.state = 'expired'
            local enc = cjson.encode(rec)
            redis.call('SET', key, enc, 'KEEPTTL')
            table.insert(out, enc)
          end
        end
      end
      return out
      """;

  private final RedisClient client;
  private final RedisURI uri;
  private final String records;
  private final String bindings;
  private final String pendingKey;
  private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>>
      connection = new AtomicReference<>();

  RedisApprovalStore(RedisClient client, RedisURI uri, String keyPrefix) {
    this.client = client;
    this.uri = uri;
    this.records = keyPrefix + "{approvals}:a:";
    this.bindings = keyPrefix + "{approvals}:b:";
    this.pendingKey = keyPrefix + "{approvals}:pending";
  }

  @Override
  public Future<Opened> open(Approval fresh, Instant now, int maxPending) {
    long retainMs = Math.max(1, Duration.between(now, fresh.retainUntil()).toMillis());
    return run(redis ->
            redis.<List<Object>>eval(
                OPEN,
                ScriptOutputType.MULTI,
                new String[] {bindings + fresh.binding(), pendingKey, records + fresh.id()},
                fresh.toJson().encode(),
                Long.toString(now.toEpochMilli()),
                Integer.toString(maxPending),
                Long.toString(retainMs),
                fresh.id(),
                Long.toString(fresh.expiresAt().toEpochMilli()),
                records))
        .compose(
            reply -> {
              long kind = (Long) reply.get(0);
              if (kind == 2) {
                return Future.failedFuture(new Full(maxPending));
              }
              Approval approval = parse(reply.get(1));
              if (kind == 0) {
                return Future.succeededFuture(new Opened(approval, false, null));
              }
              Approval previous = reply.size() > 2 ? parse(reply.get(2)) : null;
              return Future.succeededFuture(
                  new Opened(
                      approval,
                      true,
                      previous == null ? null : previous.inState(previous.stateAt(now))));
            });
  }

  @Override
  public Future<@Nullable Approval> get(String id) {
    return run(redis -> redis.get(records + id)).map(raw -> raw == null ? null : parse(raw));
  }

  @Override
  public Future<List<Approval>> pending(Instant now) {
    return run(redis ->
            redis
                .zrangebyscore(
                    pendingKey,
                    io.lettuce.core.Range.create(
                        (double) now.toEpochMilli() + 1, Double.POSITIVE_INFINITY),
                    io.lettuce.core.Limit.create(0, MAX_BATCH))
                .thenCompose(
                    ids ->
                        ids.isEmpty()
                            ? CompletableFuture.completedFuture(
                                List.<io.lettuce.core.KeyValue<String, String>>of())
                            : redis
                                .mget(ids.stream().map(id -> records + id).toArray(String[]::new))
                                .toCompletableFuture()))
        .map(
            values -> {
              List<Approval> out = new ArrayList<>();
              for (var value : values) {
                if (value.hasValue()) {
                  Approval a = parse(value.getValue());
                  if (a.state() == ApprovalState.PENDING && !a.expiredAt(now)) {
                    out.add(a);
                  }
                }
              }
              out.sort(Comparator.comparing(Approval::createdAt));
              return out;
            });
  }

  @Override
  public Future<Long> pendingCount(Instant now) {
    return run(
        redis ->
            redis.zcount(
                pendingKey,
                io.lettuce.core.Range.create(
                    (double) now.toEpochMilli() + 1, Double.POSITIVE_INFINITY)));
  }

  @Override
  public Future<Decision> decide(
      String id, ApprovalState to, Instant now, String approver, @Nullable String reason) {
    return run(redis ->
            redis.<List<Object>>eval(
                DECIDE,
                ScriptOutputType.MULTI,
                new String[] {records + id, pendingKey},
                Long.toString(now.toEpochMilli()),
                to.label(),
                approver,
                reason == null ? "" : reason))
        .map(
            reply -> {
              long kind = (Long) reply.get(0);
              if (kind == 0) {
                return new Decision.NotFound();
              }
              Approval a = parse(reply.get(1));
              return kind == 1
                  ? new Decision.NotPending(a.inState(a.stateAt(now)))
                  : new Decision.Done(a);
            });
  }

  @Override
  public Future<Boolean> use(String id, Instant now) {
    return run(redis ->
            redis.<Long>eval(
                USE,
                ScriptOutputType.INTEGER,
                new String[] {records + id},
                Long.toString(now.toEpochMilli())))
        .map(n -> n == 1L);
  }

  @Override
  public Future<List<Approval>> expire(Instant now) {
    return run(redis ->
            redis.<List<Object>>eval(
                EXPIRE,
                ScriptOutputType.MULTI,
                new String[] {pendingKey},
                Long.toString(now.toEpochMilli()),
                records,
                Integer.toString(MAX_BATCH)))
        .map(
            reply -> {
              List<Approval> out = new ArrayList<>();
              reply.forEach(raw -> out.add(parse(raw)));
              return out;
            });
  }

  private static Approval parse(Object raw) {
    return Approval.fromJson(new JsonObject((String) raw));
  }

  /** Runs a command on the connection (made on first use, again after a failed attempt). */
  private <T> Future<T> run(
      Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
    CompletableFuture<StatefulRedisConnection<String, String>> c = connection.get();
    if (c == null || c.isCompletedExceptionally()) {
      CompletableFuture<StatefulRedisConnection<String, String>> fresh =
          client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
      c = connection.compareAndSet(c, fresh) ? fresh : connection.get();
    }
    return ContextBound.await(c.thenCompose(conn -> command.apply(conn.async())));
  }

  @Override
  public void close() {
    CompletableFuture<StatefulRedisConnection<String, String>> c = connection.getAndSet(null);
    if (c != null) {
      c.thenAccept(StatefulRedisConnection::closeAsync);
    }
  }
}
