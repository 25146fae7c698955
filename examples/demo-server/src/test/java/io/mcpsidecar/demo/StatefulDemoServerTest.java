package io.mcpsidecar.demo;

import static io.mcpsidecar.demo.TestClients.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo server in stateful mode, driven by the official SDK client. */
class StatefulDemoServerTest {

  private static final String SAMPLED_TEXT = "a fixed answer from the client's model";

  private static final List<ProgressNotification> progress = new CopyOnWriteArrayList<>();

  private static final List<CreateMessageRequest> samplingRequests = new CopyOnWriteArrayList<>();

  private static final List<ElicitFormRequest> elicitations = new CopyOnWriteArrayList<>();

  private static DemoServer server;

  private static McpSyncClient client;

  @BeforeAll
  static void start() {
    server = DemoServer.start("127.0.0.1", 0, false);
    client =
        TestClients.syncClient(server)
            .capabilities(ClientCapabilities.builder().sampling().elicitation().build())
            .sampling(
                request -> {
                  samplingRequests.add(request);
                  return new CreateMessageResult(
                      Role.ASSISTANT,
                      TextContent.builder(SAMPLED_TEXT).build(),
                      "fixed-model",
                      CreateMessageResult.StopReason.END_TURN);
                })
            .elicitation(
                request -> {
                  elicitations.add(request);
                  return new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("answer", "blue"));
                })
            .progressConsumer(progress::add)
            .build();
    client.initialize();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listsEveryToolWithAnObjectInputSchemaAndDescription() {
    List<Tool> tools = client.listTools().tools();

    assertThat(tools)
        .extracting(Tool::name)
        .containsExactlyInAnyOrder("echo", "add", "slow", "fail", "progress", "sample", "elicit");
    assertThat(tools)
        .allSatisfy(
            tool -> {
              assertThat(tool.description()).isNotBlank();
              assertThat(tool.inputSchema()).containsEntry("type", "object");
            });
    assertThat(tools)
        .filteredOn(tool -> tool.name().equals("progress"))
        .singleElement()
        .satisfies(
            tool ->
                assertThat(tool.inputSchema().get("required"))
                    .isEqualTo(List.of("steps", "intervalMs")));
  }

  @Test
  void echoReturnsTheMessage() {
    CallToolResult result = call("echo", Map.of("message", "hello, sidecar"));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("hello, sidecar");
  }

  @Test
  void addReturnsTheSumAsTextAndStructuredContent() {
    CallToolResult result = call("add", Map.of("a", 2, "b", 40.5));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("42.5");
    assertThat(result.structuredContent()).isEqualTo(Map.of("sum", 42.5));
  }

  @Test
  void addOfIntegersPrintsAnInteger() {
    assertThat(text(call("add", Map.of("a", 2, "b", 3)))).isEqualTo("5");
  }

  @Test
  void argumentsThatBreakTheSchemaAreAToolError() {
    CallToolResult result = call("add", Map.of("a", "two", "b", 3));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).contains("/a");
  }

  @Test
  void failReturnsAToolErrorWithTheMessage() {
    CallToolResult result = call("fail", Map.of("message", "boom"));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("boom");
  }

  @Test
  void failWithoutMessageUsesADefault() {
    CallToolResult result = call("fail", Map.of());

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("demo failure");
  }

  @Test
  void slowAnswersNoSoonerThanAsked() {
    long started = System.nanoTime();

    CallToolResult result = call("slow", Map.of("ms", 200));

    assertThat(text(result)).isEqualTo("slept 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void progressSendsOneNotificationPerStepForTheRequestsToken() {
    CallToolResult result =
        client.callTool(
            CallToolRequest.builder("progress")
                .arguments(Map.of("steps", 3, "intervalMs", 20))
                .progressToken("progress-test-token")
                .build());

    assertThat(text(result)).isEqualTo("done 3 steps");
    await()
        .atMost(TestClients.TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(progress)
                    .filteredOn(n -> "progress-test-token".equals(n.progressToken()))
                    .extracting(ProgressNotification::progress, ProgressNotification::total)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1.0, 3.0),
                        org.assertj.core.groups.Tuple.tuple(2.0, 3.0),
                        org.assertj.core.groups.Tuple.tuple(3.0, 3.0)));
  }

  @Test
  void sampleAsksTheClientsModelAndReturnsItsText() {
    CallToolResult result = call("sample", Map.of("prompt", "what is a sidecar?"));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo(SAMPLED_TEXT);
    assertThat(samplingRequests)
        .flatExtracting(CreateMessageRequest::messages)
        .extracting(SamplingMessage::content)
        .contains(TextContent.builder("what is a sidecar?").build());
  }

  @Test
  void elicitReturnsTheUsersAnswer() {
    CallToolResult result = call("elicit", Map.of("message", "favourite colour?"));

    assertThat(result.isError()).isFalse();
    assertThat(text(result)).isEqualTo("blue");
    assertThat(elicitations).extracting(ElicitFormRequest::message).contains("favourite colour?");
  }

  @Test
  void sampleIsAToolErrorWhenTheClientCannotSample() {
    try (McpSyncClient plain = TestClients.syncClient(server).build()) {
      plain.initialize();

      CallToolResult result =
          plain.callTool(
              CallToolRequest.builder("sample").arguments(Map.of("prompt", "hi")).build());

      assertThat(result.isError()).isTrue();
      assertThat(text(result)).contains("sampling capability");
    }
  }

  @Test
  void servesTheGreetingResourceAndPrompt() {
    assertThat(client.listResources().resources())
        .extracting(resource -> resource.uri())
        .containsExactly("demo://greeting");
    assertThat(
            client.readResource(ReadResourceRequest.builder("demo://greeting").build()).contents())
        .singleElement()
        .isInstanceOfSatisfying(
            TextResourceContents.class,
            contents -> assertThat(contents.text()).isEqualTo("hello from the demo server"));

    var prompt =
        client.getPrompt(
            GetPromptRequest.builder("greet").arguments(Map.of("name", "Ada")).build());
    assertThat(prompt.messages())
        .singleElement()
        .satisfies(message -> assertThat(((TextContent) message.content()).text()).contains("Ada"));
  }

  private static CallToolResult call(String tool, Map<String, Object> arguments) {
    return client.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
  }
}
