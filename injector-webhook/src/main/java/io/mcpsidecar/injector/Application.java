package io.mcpsidecar.injector;

import io.micronaut.runtime.Micronaut;

/**
 * The MCP Sidecar injector: a mutating admission webhook that adds the agent to labelled pods, and
 * a validating webhook that admits only catalogued MCP servers. Configured by {@code WEBHOOK_*}
 * environment variables (see docs/injection.md).
 */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    Micronaut.build(args).mainClass(Application.class).banner(false).start();
  }
}
