package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exchange ends exactly once, and never while the interceptor chain is still deciding. */
class ExchangeTest {

  private final AgentConfig config = TestAgents.config("http://127.0.0.1:1/mcp", "");
  private final List<McpCall> ended = new ArrayList<>();
  private final List<String> steps = new ArrayList<>();
  private final Exchange exchange =
      new Exchange(() -> TestCalls.call(config, HttpMethod.POST), ended::add);

  @Test
  void endsOnceHoweverOftenItIsEnded() {
    exchange.atEnd(() -> steps.add("cleanup"));
    exchange.end();
    exchange.end();
    exchange.clientLeft();

    assertThat(ended).hasSize(1);
    assertThat(steps).containsExactly("cleanup");
  }

  @Test
  void aClientLeavingWhileTheChainDecidesEndsTheExchangeOnlyOnceItHasDecided() {
    exchange.deciding();
    exchange.clientLeft();
    assertThat(ended).as("a stage may still take a permit its end hook gives back").isEmpty();

    assertThat(exchange.decided()).as("the call must not go on").isFalse();
    assertThat(ended).hasSize(1);
  }

  @Test
  void aClientLeavingRunsWhatTheUpstreamSideSetBeforeTheEnd() {
    exchange.onClientGone(() -> steps.add("reset upstream"));
    exchange.atEnd(() -> steps.add("release body"));
    exchange.clientLeft();
    exchange.clientLeft();

    assertThat(steps).containsExactly("reset upstream", "release body");
    assertThat(ended).hasSize(1);
    assertThat(exchange.clientGone()).isTrue();
  }

  @Test
  void aCleanupAddedAfterTheEndRunsAtOnce() {
    exchange.end();
    exchange.atEnd(() -> steps.add("late"));

    assertThat(steps).containsExactly("late");
  }

  @Test
  void endsWithTheParsedCallOnceItIsKnown() {
    McpCall parsed = TestCalls.call(config, HttpMethod.POST);
    exchange.call(parsed);
    exchange.end();

    assertThat(ended).containsExactly(parsed);
  }
}
