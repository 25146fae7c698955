package io.mcpsidecar.demo;

import static io.mcpsidecar.demo.DemoTool.descriptor;
import static io.mcpsidecar.demo.DemoTool.property;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Tools that work in both modes: echo, add, slow, fail, progress. */
final class BasicTools {

  /** Upper bound for any wait a caller can ask for, so a typo cannot park a request for days. */
  static final long MAX_WAIT_MS = 600_000;

  static final long MAX_STEPS = 1_000;

  private BasicTools() {}

  static List<DemoTool> all() {
    return List.of(echo(), add(), slow(), fail(), progress());
  }

  static DemoTool echo() {
    Tool tool =
        descriptor(
            "echo",
            "Returns the given message unchanged.",
            Map.of("message", property("string", "Text to echo back.")),
            List.of("message"));
    return new DemoTool(
        tool,
        false,
        call -> Mono.just(ToolResults.text(call.arguments().requiredString("message"))));
  }

  static DemoTool add() {
    Tool tool =
        Tool.builder(
                "add",
                DemoTool.objectSchema(
                    Map.of(
                        "a", property("number", "First addend."),
                        "b", property("number", "Second addend.")),
                    List.of("a", "b")))
            .description("Adds two numbers and returns the sum as text and as {\"sum\": n}.")
            .outputSchema(
                Map.of(
                    "type", "object",
                    "properties", Map.of("sum", Map.of("type", "number")),
                    "required", List.of("sum")))
            .build();
    return new DemoTool(
        tool,
        false,
        call -> {
          BigDecimal sum =
              call.arguments().requiredNumber("a").add(call.arguments().requiredNumber("b"));
          String text = sum.stripTrailingZeros().toPlainString();
          return Mono.just(
              CallToolResult.builder()
                  .addTextContent(text)
                  .structuredContent(Map.of("sum", sum))
                  .isError(false)
                  .build());
        });
  }

  static DemoTool slow() {
    Tool tool =
        descriptor(
            "slow",
            "Waits the given number of milliseconds, then answers. For timeout and concurrency"
                + " tests.",
            Map.of("ms", integer("Milliseconds to wait.", 0, MAX_WAIT_MS)),
            List.of("ms"));
    return new DemoTool(
        tool,
        false,
        call -> {
          long ms = call.arguments().requiredInteger("ms", 0, MAX_WAIT_MS);
          // Mono.delay parks nothing: the answer is scheduled on Reactor's timer.
          return Mono.delay(Duration.ofMillis(ms))
              .thenReturn(ToolResults.text("slept " + ms + " ms"));
        });
  }

  static DemoTool fail() {
    Tool tool =
        descriptor(
            "fail",
            "Always fails with a tool error (isError=true) carrying the given message.",
            Map.of("message", property("string", "Error text; defaults to 'demo failure'.")),
            List.of());
    return new DemoTool(
        tool,
        false,
        call ->
            Mono.just(
                ToolResults.error(
                    call.arguments().optionalString("message").orElse("demo failure"))));
  }

  static DemoTool progress() {
    Tool tool =
        descriptor(
            "progress",
            "Works through the given number of steps, intervalMs apart, sending"
                + " notifications/progress after each step when the request carries a"
                + " progressToken.",
            Map.of(
                "steps", integer("Number of steps.", 0, MAX_STEPS),
                "intervalMs", integer("Milliseconds between steps.", 0, MAX_WAIT_MS)),
            List.of("steps", "intervalMs"));
    return new DemoTool(tool, false, BasicTools::runSteps);
  }

  private static Mono<CallToolResult> runSteps(DemoTool.Call call) {
    long steps = call.arguments().requiredInteger("steps", 0, MAX_STEPS);
    long intervalMs = call.arguments().requiredInteger("intervalMs", 0, MAX_WAIT_MS);
    Object token = call.request().progressToken();
    // Stateless mode has no channel for notifications: the steps still take their time.
    Optional<McpAsyncServerExchange> channel = token == null ? Optional.empty() : call.session();
    return Flux.range(1, (int) steps)
        .concatMap(
            step ->
                Mono.delay(Duration.ofMillis(intervalMs))
                    .then(
                        channel
                            .map(
                                exchange ->
                                    exchange.progressNotification(notice(token, step, steps)))
                            .orElse(Mono.empty())))
        .then(Mono.fromSupplier(() -> ToolResults.text("done " + steps + " steps")));
  }

  private static ProgressNotification notice(Object token, int step, long steps) {
    return ProgressNotification.builder(token, step)
        .total((double) steps)
        .message("step " + step + " of " + steps)
        .build();
  }

  private static Map<String, Object> integer(String description, long min, long max) {
    return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
  }
}
