package io.mcpsidecar.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpsidecar.agent.TestAgents;
import io.mcpsidecar.agent.mcp.ErrorCode;
import io.mcpsidecar.config.AgentConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The pipeline on its own: how stages refuse, answer, wrap and fail, and how its order is held. */
class PipelineTest {

  static final AgentConfig CONFIG = TestAgents.config("http://127.0.0.1:1/mcp", "");

  /** Stands in for the server: answers every call it is given with 200, and counts them. */
  static final class Server implements Stage {
    int calls;
    Promise<Outcome> pending;

    @Override
    public String name() {
      return UpstreamStage.NAME;
    }

    @Override
    public Future<Outcome> handle(McpCall call, Next next) {
      calls++;
      if (pending != null) {
        return pending.future();
      }
      return Future.succeededFuture(Outcome.answer(200, Map.of(), "{}"));
    }
  }

  static Stage stage(String name, BiFunction<McpCall, Stage.Next, Future<Outcome>> body) {
    return stage(name, Set.of(), body);
  }

  static Stage stage(
      String name, Set<String> requires, BiFunction<McpCall, Stage.Next, Future<Outcome>> body) {
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<String> requires() {
        return requires;
      }

      @Override
      public Future<Outcome> handle(McpCall call, Next next) {
        return body.apply(call, next);
      }
    };
  }

  static McpCall call() {
    return TestCalls.call(CONFIG, HttpMethod.POST, TestCalls.toolCall("1", "echo"));
  }

  static Outcome.Refused refused(Future<Outcome> outcome) {
    assertThat(outcome.succeeded()).as("the pipeline's future never fails").isTrue();
    assertThat(outcome.result()).isInstanceOf(Outcome.Refused.class);
    return (Outcome.Refused) outcome.result();
  }

  @Test
  void aStageThatThrowsFailsTheCallClosedAndTheServerIsNeverCalled() {
    Server server = new Server();
    Pipeline pipeline =
        Pipeline.of(
            List.of(
                stage(
                    "policy",
                    (call, next) -> {
                      throw new IllegalStateException("boom");
                    }),
                server));

    Outcome.Refused refused = refused(pipeline.run(call()));

    assertThat(refused.rejection().code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(refused.rejection().code().code()).isEqualTo(-32007);
    assertThat(refused.rejection().code().type()).isEqualTo("internal_error");
    assertThat(refused.rejection().data()).containsEntry("stage", "policy");
    assertThat(server.calls).isZero();
  }

  @Test
  void aStageWhoseFutureFailsFailsTheCallClosedNamingThatStage() {
    Server server = new Server();
    List<Outcome> seenByOuter = new ArrayList<>();
    Pipeline pipeline =
        Pipeline.of(
            List.of(
                stage("outer", (call, next) -> next.proceed().onSuccess(seenByOuter::add)),
                stage(
                    "approvals",
                    (call, next) -> Future.failedFuture(new IllegalStateException("down"))),
                server));

    Outcome.Refused refused = refused(pipeline.run(call()));

    assertThat(refused.rejection().data()).containsEntry("stage", "approvals");
    assertThat(seenByOuter).containsExactly(refused);
    assertThat(server.calls).isZero();
  }

  @Test
  void aStageAnswersWithoutCallingTheServer() {
    Server server = new Server();
    Pipeline pipeline =
        Pipeline.of(
            List.of(
                stage(
                    "cache",
                    (call, next) ->
                        Future.succeededFuture(
                            Outcome.answer(200, Map.of("X-Cache", "hit"), "{\"cached\":true}"))),
                server));

    Future<Outcome> outcome = pipeline.run(call());

    assertThat(outcome.result()).isInstanceOf(Outcome.Answered.class);
    Outcome.Answered answer = (Outcome.Answered) outcome.result();
    assertThat(answer.headers()).containsEntry("X-Cache", "hit");
    assertThat(answer.body().toString()).isEqualTo("{\"cached\":true}");
    assertThat(server.calls).isZero();
  }

  @Test
  void aWrappingStageSeesTheOutcomeAndHowLongTheRestTook() {
    Server server = new Server();
    server.pending = Promise.promise();
    AtomicLong clock = new AtomicLong(1_000);
    AtomicReference<Outcome> seen = new AtomicReference<>();
    AtomicLong took = new AtomicLong(-1);
    Pipeline pipeline =
        Pipeline.of(
            List.of(
                stage(
                    "timing",
                    (call, next) -> {
                      long started = clock.get();
                      return next.proceed()
                          .onSuccess(
                              outcome -> {
                                seen.set(outcome);
                                took.set(clock.get() - started);
                              });
                    }),
                server));

    Future<Outcome> outcome = pipeline.run(call());
    assertThat(outcome.isComplete()).as("waits for the server").isFalse();
    clock.addAndGet(250);
    Outcome answer = Outcome.answer(201, Map.of(), "{}");
    server.pending.complete(answer);

    assertThat(outcome.result()).isSameAs(answer);
    assertThat(seen.get()).isSameAs(answer);
    assertThat(took.get()).isEqualTo(250);
  }

  @Test
  void aWrappingStageMayRetryAndChangeTheOutcome() {
    Server server = new Server();
    Pipeline pipeline =
        Pipeline.of(
            List.of(
                stage("retry", (call, next) -> next.proceed().compose(first -> next.proceed())),
                stage(
                    "label",
                    (call, next) ->
                        next.proceed()
                            .map(o -> Outcome.answer(299, Map.of("X-Attempt", "yes"), "{}"))),
                server));

    Outcome.Answered answer = (Outcome.Answered) pipeline.run(call()).result();

    assertThat(server.calls).isEqualTo(2);
    assertThat(answer.status()).isEqualTo(299);
  }

  @Test
  void refusesAStageWhoseRequirementComesAfterIt() {
    Stage identity = stage("identity", (call, next) -> next.proceed());
    Stage limits = stage("limits", Set.of("identity"), (call, next) -> next.proceed());

    assertThatThrownBy(() -> Pipeline.of(List.of(limits, identity, new Server())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "pipeline: stage 'limits' needs 'identity' before it, but 'identity' comes after it"
                + " (order: limits, identity, upstream)");
  }

  @Test
  void refusesAStageWhoseRequirementIsMissing() {
    Stage limits = stage("limits", Set.of("identity"), (call, next) -> next.proceed());

    assertThatThrownBy(() -> Pipeline.of(List.of(limits, new Server())))
        .hasMessage(
            "pipeline: stage 'limits' needs 'identity' before it, and there is none"
                + " (order: limits, upstream)");
  }

  @Test
  void refusesAPipelineThatDoesNotEndWithTheUpstreamStageOrRepeatsAName() {
    Stage a = stage("a", (call, next) -> next.proceed());

    assertThatThrownBy(() -> Pipeline.of(List.of(new Server(), a)))
        .hasMessage("pipeline: the last stage must be 'upstream' (order: upstream, a)");
    assertThatThrownBy(() -> Pipeline.of(List.of(a, a, new Server())))
        .hasMessage("pipeline: two stages are named 'a' (order: a, a, upstream)");
  }

  @Test
  void endsEveryStageOnceEvenWhenOneEndHookThrows() {
    List<String> ended = new ArrayList<>();
    Stage throwing =
        new Stage() {
          @Override
          public String name() {
            return "throwing";
          }

          @Override
          public Future<Outcome> handle(McpCall call, Next next) {
            return next.proceed();
          }

          @Override
          public void onEnd(McpCall call) {
            ended.add(name());
            throw new IllegalStateException("end");
          }
        };
    Stage quiet =
        new Stage() {
          @Override
          public String name() {
            return "quiet";
          }

          @Override
          public Future<Outcome> handle(McpCall call, Next next) {
            return next.proceed();
          }

          @Override
          public void onEnd(McpCall call) {
            ended.add(name());
          }
        };

    Pipeline.of(List.of(throwing, quiet, new Server())).end(call());

    assertThat(ended).containsExactly("throwing", "quiet");
  }
}
