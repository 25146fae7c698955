package io.mcpsidecar.agent;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.mcpsidecar.agent.approvals.ApprovalsCli;
import io.mcpsidecar.agent.policy.PolicyCheck;
import io.mcpsidecar.config.AgentConfig;
import io.mcpsidecar.config.ConfigLoader;
import io.mcpsidecar.config.ConfigResult;
import io.mcpsidecar.config.Violation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code --config FILE} runs the agent; {@code validate FILE} checks a config and
 * exits 0 ({@code ok}) or 1 (every problem listed); {@code policy check ...} asks the policy of a
 * config what it would decide for one call ({@link PolicyCheck}); {@code approvals list|approve
 * ID|deny ID ...} lists and decides approvals through an agent's admin port ({@link ApprovalsCli});
 * {@code --version} prints the version, the git revision built and the Java runtime.
 */
public final class Main {

  private static final String USAGE =
      "usage: mcp-sidecar-agent --config FILE\n       mcp-sidecar-agent validate FILE\n"
          + "       mcp-sidecar-agent --version\n       "
          + PolicyCheck.USAGE.substring("usage: ".length())
          + "\n       mcp-sidecar-agent approvals list|approve ID|deny ID --admin URL"
          + " --token-file FILE [--approver NAME] [--reason TEXT]";

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    if (args.length == 1 && args[0].equals("--version")) {
      out.println(BuildInfo.current().line());
      return 0;
    }
    if (args.length == 2 && args[0].equals("validate")) {
      return validate(Path.of(args[1]), out, err);
    }
    if (args.length >= 2 && args[0].equals("policy") && args[1].equals("check")) {
      return PolicyCheck.run(List.of(args).subList(2, args.length), out, err);
    }
    if (args.length >= 1 && args[0].equals("approvals")) {
      return ApprovalsCli.run(List.of(args).subList(1, args.length), out, err);
    }
    if (args.length == 2 && args[0].equals("--config")) {
      return serve(Path.of(args[1]), err);
    }
    err.println(USAGE);
    return 2;
  }

  static int validate(Path file, PrintStream out, PrintStream err) {
    ConfigResult result = ConfigLoader.load(file);
    if (result instanceof ConfigResult.Invalid invalid) {
      for (Violation v : invalid.violations()) {
        err.println(v);
      }
      return 1;
    }
    out.println("ok");
    return 0;
  }

  private static int serve(Path file, PrintStream err) throws InterruptedException {
    ConfigResult result = ConfigLoader.load(file);
    if (result instanceof ConfigResult.Invalid invalid) {
      err.println("invalid config " + file + ":");
      invalid.violations().forEach(v -> err.println("  " + v));
      return 1;
    }
    ConfigResult.Valid loaded = (ConfigResult.Valid) result;
    AgentConfig config = loaded.config();
    applyLogLevel(config);
    Logger log = LoggerFactory.getLogger(Main.class);
    Agent agent;
    try {
      agent =
          Agent.start(loaded, Agent.Reload.of(file).applying(Main::applyLogLevel))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.atError().setCause(e).log("agent failed to start");
      return 1;
    }
    log.atInfo()
        .addKeyValue("mcpPort", agent.mcpPort())
        .addKeyValue("adminPort", agent.adminPort())
        .addKeyValue("listenInstances", agent.endpoint().instances())
        .addKeyValue("upstream", config.upstream().url().toString())
        .log(
            "agent ready: MCP on {}:{}, admin on {}:{}",
            config.listen().host(),
            agent.mcpPort(),
            config.admin().host(),
            agent.adminPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down: draining calls in flight");
                  try {
                    agent
                        .stop()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(
                            config.shutdown().drainTimeout().toMillis() + 5000,
                            TimeUnit.MILLISECONDS);
                  } catch (Exception e) {
                    log.atWarn().setCause(e).log("shutdown did not complete cleanly");
                  }
                  log.info("stopped");
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * Sets the levels of the agent's loggers from {@code config}: at start and after each reload.
   * Logger levels are process-wide, so only the process's entry point sets them; an agent embedded
   * in a test or another program leaves its host's logging alone.
   */
  static void applyLogLevel(AgentConfig config) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("io.mcpsidecar").setLevel(Level.toLevel(config.logging().level().name()));
      context
          .getLogger("mcp.access")
          .setLevel(config.logging().accessLog() ? Level.INFO : Level.OFF);
    }
  }
}
