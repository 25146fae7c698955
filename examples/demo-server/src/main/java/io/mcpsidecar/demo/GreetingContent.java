package io.mcpsidecar.demo;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.ErrorCodes;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Prompt;
import io.modelcontextprotocol.spec.McpSchema.PromptArgument;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.util.List;

/** The demo's one resource ({@code demo://greeting}) and one prompt ({@code greet}). */
final class GreetingContent {

  static final String RESOURCE_URI = "demo://greeting";

  static final String RESOURCE_TEXT = "hello from the demo server";

  static final String PROMPT_NAME = "greet";

  private GreetingContent() {}

  static Resource resource() {
    return Resource.builder(RESOURCE_URI, "greeting")
        .description("A fixed greeting, for resources/read tests.")
        .mimeType("text/plain")
        .build();
  }

  static ReadResourceResult read(ReadResourceRequest request) {
    return ReadResourceResult.builder(
            List.of(
                TextResourceContents.builder(request.uri(), RESOURCE_TEXT)
                    .mimeType("text/plain")
                    .build()))
        .build();
  }

  static Prompt prompt() {
    return Prompt.builder(PROMPT_NAME)
        .description("Asks the model to greet someone by name.")
        .arguments(
            List.of(
                PromptArgument.builder("name").description("Who to greet.").required(true).build()))
        .build();
  }

  static GetPromptResult greet(GetPromptRequest request) {
    Object name = request.arguments() == null ? null : request.arguments().get("name");
    if (name == null || name.toString().isBlank()) {
      throw McpError.builder(ErrorCodes.INVALID_PARAMS)
          .message("greet: argument 'name' is required")
          .build();
    }
    String text = "Please greet " + name + " in one friendly sentence.";
    return GetPromptResult.builder(
            List.of(new PromptMessage(Role.USER, TextContent.builder(text).build())))
        .description("Greets " + name)
        .build();
  }
}
