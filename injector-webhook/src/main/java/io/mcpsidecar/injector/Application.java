package io.mcpsidecar.injector;

import io.micronaut.runtime.Micronaut;

/**
 * The MCP Sidecar injector: a mutating admission webhook that adds the agent to labelled pods, and
 * a validating webhook that admits only catalogued MCP servers. Configured by {@code WEBHOOK_*}
 * environment variables (see docs/injection.md). {@code --version} prints the version, the git
 * revision built and the Java runtime, and exits.
 */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("--version")) {
      System.out.println(BuildInfo.current().line());
      return;
    }
    Micronaut.build(args).mainClass(Application.class).banner(false).start();
  }
}
