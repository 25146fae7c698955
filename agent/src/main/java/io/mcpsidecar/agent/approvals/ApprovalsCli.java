package io.mcpsidecar.agent.approvals;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code approvals list|approve ID|deny ID --admin URL --token-file F [--approver NAME] [--reason
 * TEXT]}: the approvals API from a terminal. Exit codes: 0 done, 1 refused (unknown approval, not
 * pending, bad token, agent unreachable), 2 usage.
 */
public final class ApprovalsCli {

  public static final String USAGE =
      "usage: mcp-sidecar-agent approvals list|approve ID|deny ID --admin URL --token-file FILE"
          + " [--approver NAME] [--reason TEXT]";

  private ApprovalsCli() {}

  /** Runs the subcommand after {@code approvals}; writes to {@code out} and {@code err}. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    String verb = args.get(0);
    int from = 1;
    String id = null;
    if (verb.equals("approve") || verb.equals("deny")) {
      if (args.size() < 2 || args.get(1).startsWith("--")) {
        err.println(USAGE);
        return 2;
      }
      id = args.get(1);
      from = 2;
    } else if (!verb.equals("list")) {
      err.println(USAGE);
      return 2;
    }
    Map<String, String> options = new HashMap<>();
    for (int i = from; i < args.size(); i += 2) {
      String name = args.get(i);
      if (!List.of("--admin", "--token-file", "--approver", "--reason").contains(name)
          || i + 1 >= args.size()) {
        err.println(USAGE);
        return 2;
      }
      options.put(name, args.get(i + 1));
    }
    if (!options.containsKey("--admin") || !options.containsKey("--token-file")) {
      err.println(USAGE);
      return 2;
    }
    String token;
    try {
      token =
          Files.readString(Path.of(options.get("--token-file")), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      err.println("cannot read the token file: " + e.getMessage());
      return 1;
    }
    String admin = options.get("--admin").replaceAll("/+$", "");
    try {
      if (id == null) {
        return list(admin, token, out, err);
      }
      String approver = options.getOrDefault("--approver", System.getProperty("user.name", ""));
      JsonObject body = new JsonObject().put("approver", approver);
      if (options.containsKey("--reason")) {
        body.put("reason", options.get("--reason"));
      }
      return decide(admin, token, id, verb, body, out, err);
    } catch (IOException e) {
      err.println("cannot reach the agent's admin port at " + admin + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int list(String admin, String token, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    HttpResponse<String> res = send(admin + "/approvals", token, null);
    if (res.statusCode() != 200) {
      return failed(res, err);
    }
    JsonArray items = new JsonObject(res.body()).getJsonArray("approvals");
    out.printf(
        "%-26s %-12s %-16s %-20s %-16s %8s  %s%n",
        "ID", "TENANT", "SUBJECT", "TOOL", "RULE", "AGE", "ARGUMENTS");
    for (int i = 0; i < items.size(); i++) {
      JsonObject a = items.getJsonObject(i);
      out.printf(
          "%-26s %-12s %-16s %-20s %-16s %7ds  %s%n",
          a.getString("id"),
          a.getString("tenant"),
          a.getString("subject"),
          a.getString("tool"),
          a.getString("rule"),
          a.getLong("ageSeconds"),
          String.valueOf(a.getValue("arguments")));
    }
    if (items.isEmpty()) {
      out.println("(no pending approvals)");
    }
    return 0;
  }

  private static int decide(
      String admin,
      String token,
      String id,
      String verb,
      JsonObject body,
      PrintStream out,
      PrintStream err)
      throws IOException, InterruptedException {
    HttpResponse<String> res = send(admin + "/approvals/" + id + "/" + verb, token, body.encode());
    if (res.statusCode() != 200) {
      return failed(res, err);
    }
    JsonObject a = new JsonObject(res.body());
    out.println(
        a.getString("state")
            + " "
            + a.getString("id")
            + " ("
            + a.getString("tool")
            + " for "
            + a.getString("tenant")
            + "/"
            + a.getString("subject")
            + ") by "
            + a.getString("approver"));
    return 0;
  }

  private static int failed(HttpResponse<String> res, PrintStream err) {
    String message;
    try {
      message = new JsonObject(res.body()).getString("error", res.body());
    } catch (DecodeException e) {
      message = res.body();
    }
    err.println("refused (HTTP " + res.statusCode() + "): " + message);
    return 1;
  }

  private static HttpResponse<String> send(String url, String token, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token);
    if (body == null) {
      req.GET();
    } else {
      req.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body));
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return client.send(req.build(), HttpResponse.BodyHandlers.ofString());
  }
}
