package io.mcpsidecar.demo;

import static io.mcpsidecar.demo.DemoTool.descriptor;
import static io.mcpsidecar.demo.DemoTool.property;

import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/**
 * Tools that send a request back to the client in the middle of a {@code tools/call}: {@code
 * sample} ({@code sampling/createMessage}) and {@code elicit} ({@code elicitation/create}). They
 * need a session, so they exist only in stateful mode. The SDK sends the server-to-client request
 * on the SSE stream of the POST that carries the tool call.
 */
final class ClientRequestTools {

  static final int SAMPLING_MAX_TOKENS = 256;

  private ClientRequestTools() {}

  static List<DemoTool> all() {
    return List.of(sample(), elicit());
  }

  static DemoTool sample() {
    return new DemoTool(
        descriptor(
            "sample",
            "Asks the client's model (sampling/createMessage) to answer the prompt and returns the"
                + " sampled text. Needs a client that declared the sampling capability.",
            Map.of("prompt", property("string", "Prompt sent to the client's model.")),
            List.of("prompt")),
        true,
        call -> {
          String prompt = call.arguments().requiredString("prompt");
          CreateMessageRequest request =
              CreateMessageRequest.builder(
                      List.of(new SamplingMessage(Role.USER, TextContent.builder(prompt).build())),
                      SAMPLING_MAX_TOKENS)
                  .build();
          return withCapability(
              call,
              "sampling",
              caps -> caps.sampling() != null,
              exchange -> exchange.createMessage(request).map(ClientRequestTools::sampledText));
        });
  }

  static DemoTool elicit() {
    return new DemoTool(
        descriptor(
            "elicit",
            "Asks the user, through the client (elicitation/create), to answer the message and"
                + " returns the answer. Needs a client that declared the elicitation capability.",
            Map.of("message", property("string", "Question shown to the user.")),
            List.of("message")),
        true,
        call -> {
          ElicitFormRequest request =
              ElicitFormRequest.builder(
                      call.arguments().requiredString("message"),
                      Map.of(
                          "type",
                          "object",
                          "properties",
                          Map.of("answer", property("string", "Your answer.")),
                          "required",
                          List.of("answer")))
                  .build();
          return withCapability(
              call,
              "elicitation",
              caps -> caps.elicitation() != null,
              exchange -> exchange.createElicitation(request).map(ClientRequestTools::answer));
        });
  }

  private static Mono<CallToolResult> withCapability(
      DemoTool.Call call,
      String capability,
      Predicate<ClientCapabilities> declared,
      Function<McpAsyncServerExchange, Mono<CallToolResult>> action) {
    if (call.session().isEmpty()) {
      return Mono.just(ToolResults.error(capability + " needs a stateful session"));
    }
    McpAsyncServerExchange exchange = call.session().get();
    ClientCapabilities caps = exchange.getClientCapabilities();
    if (caps == null || !declared.test(caps)) {
      return Mono.just(
          ToolResults.error("the client did not declare the " + capability + " capability"));
    }
    return action
        .apply(exchange)
        .onErrorResume(
            McpError.class,
            e -> Mono.just(ToolResults.error(capability + " request failed: " + e.getMessage())));
  }

  private static CallToolResult sampledText(CreateMessageResult result) {
    Content content = result.content();
    if (content instanceof TextContent text) {
      return ToolResults.text(text.text());
    }
    return ToolResults.error("the client sampled non-text content: " + content.type());
  }

  private static CallToolResult answer(ElicitResult result) {
    if (result.action() != ElicitResult.Action.ACCEPT) {
      return ToolResults.text(
          "no answer: the user chose " + result.action().name().toLowerCase(Locale.ROOT));
    }
    Object answer = result.content() == null ? null : result.content().get("answer");
    return answer == null
        ? ToolResults.error("the client accepted but sent no 'answer'")
        : ToolResults.text(answer.toString());
  }
}
