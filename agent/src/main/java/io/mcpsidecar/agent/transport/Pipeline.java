package io.mcpsidecar.agent.transport;

import io.mcpsidecar.agent.mcp.ErrorCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered stages every exchange passes through, the {@link UpstreamStage} last. The order is
 * checked when the pipeline is built: every stage's {@link Stage#requires} must come before it,
 * names are unique, and the upstream stage ends the list; a wrong order fails start-up with a
 * message that names the stages and shows the order.
 */
public final class Pipeline {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private final Stage[] stages;
  private final List<Stage> list;

  private Pipeline(List<Stage> stages) {
    this.list = List.copyOf(stages);
    this.stages = list.toArray(new Stage[0]);
  }

  /**
   * The pipeline of {@code stages}, in this order.
   *
   * @throws IllegalArgumentException when the order breaks a stage's requirement, a name repeats,
   *     or the upstream stage is not last
   */
  public static Pipeline of(List<Stage> stages) {
    List<String> names = new ArrayList<>();
    stages.forEach(s -> names.add(s.name()));
    String order = " (order: " + String.join(", ", names) + ")";
    if (stages.isEmpty() || !UpstreamStage.NAME.equals(stages.get(stages.size() - 1).name())) {
      throw new IllegalArgumentException(
          "pipeline: the last stage must be '" + UpstreamStage.NAME + "'" + order);
    }
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      if (position.putIfAbsent(stage.name(), i) != null) {
        throw new IllegalArgumentException(
            "pipeline: two stages are named '" + stage.name() + "'" + order);
      }
    }
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      for (String required : stage.requires()) {
        Integer at = position.get(required);
        if (at == null) {
          throw new IllegalArgumentException(
              "pipeline: stage '"
                  + stage.name()
                  + "' needs '"
                  + required
                  + "' before it, and there is none"
                  + order);
        }
        if (at > i) {
          throw new IllegalArgumentException(
              "pipeline: stage '"
                  + stage.name()
                  + "' needs '"
                  + required
                  + "' before it, but '"
                  + required
                  + "' comes after it"
                  + order);
        }
      }
    }
    return new Pipeline(stages);
  }

  /** The stages in order, the upstream stage last. */
  public List<Stage> stages() {
    return list;
  }

  /** Runs the call through every stage; the future never fails. */
  Future<Outcome> run(McpCall call) {
    return step(call, 0);
  }

  private Future<Outcome> step(McpCall call, int index) {
    Stage stage = stages[index];
    Stage.Next next = index + 1 < stages.length ? () -> step(call, index + 1) : Pipeline::noNext;
    Future<Outcome> out;
    try {
      out = stage.handle(call, next);
      if (out == null) {
        out = Future.failedFuture(new NullPointerException(stage.name() + " returned null"));
      }
    } catch (RuntimeException e) {
      out = Future.failedFuture(e);
    }
    if (out.succeeded()) {
      return out;
    }
    if (out.failed()) {
      return Future.succeededFuture(failClosed(call, stage, out.cause()));
    }
    return out.recover(err -> Future.succeededFuture(failClosed(call, stage, err)));
  }

  private static Future<Outcome> noNext() {
    return Future.failedFuture(new IllegalStateException("no stage after the last one"));
  }

  private static Outcome failClosed(McpCall call, Stage stage, Throwable err) {
    if (!(err instanceof ClientGone)) {
      LOG.atError()
          .addKeyValue("requestId", call.requestId())
          .addKeyValue("stage", stage.name())
          .setCause(err)
          .log("stage failed; call rejected");
    }
    return Outcome.refused(
        Rejection.of(
            ErrorCode.INTERNAL,
            "the " + stage.name() + " stage failed",
            Map.of("stage", stage.name())));
  }

  /** Tells every stage the exchange ended, in order; one that throws does not stop the others. */
  void end(McpCall call) {
    for (Stage stage : stages) {
      try {
        stage.onEnd(call);
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("requestId", call.requestId())
            .addKeyValue("stage", stage.name())
            .setCause(e)
            .log("stage end hook failed");
      }
    }
  }

  /** The client left while the call was in the pipeline: nothing will be written. */
  static final class ClientGone extends RuntimeException {
    static final ClientGone INSTANCE = new ClientGone();

    private ClientGone() {
      super("the client left", null, false, false);
    }
  }
}
