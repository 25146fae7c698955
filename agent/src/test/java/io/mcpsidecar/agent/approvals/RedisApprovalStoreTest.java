package io.mcpsidecar.agent.approvals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.mcpsidecar.agent.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisApprovalStoreTest extends ApprovalStoreSpecification {

  private static TestRedis redis;
  private static RedisClient client;
  private static int run;

  @BeforeAll
  static void startRedis() {
    redis = new TestRedis();
    client = RedisClient.create();
  }

  @AfterAll
  static void stopRedis() {
    client.shutdown();
    redis.close();
  }

  @Override
  ApprovalStore newStore() {
    // A prefix per test: each starts with an empty store.
    return new RedisApprovalStore(client, RedisURI.create(redis.url()), "t" + (run++) + ":");
  }
}
