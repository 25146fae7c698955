package io.mcpsidecar.config;

/**
 * The hand-written part of the configuration reference: how values are written and checked. It
 * describes what {@link ConfigLoader} does, so it lives next to it rather than in the schema.
 */
final class ReferenceProse {

  private ReferenceProse() {}

  static void intro(StringBuilder out) {
    out.append(
        """
        Check a file before you apply it; the command prints `ok`, or every problem at once as
        `path: value (expected: ...)`, and exits 1:

        ```sh
        java -jar agent/target/mcp-sidecar-agent.jar validate config.yaml
        ```

        How the agent picks up a changed ConfigMap, and how to see that a change took effect:
        [operations/config-changes.md](operations/config-changes.md). The schema itself
        (draft 2020-12, usable by editors with YAML language support) is
        `config-schema/src/main/resources/io/mcpsidecar/config/agent-config.schema.json`.

        ## Writing values

        - **Unset keys** take the default listed below. A key with nothing after it
          (`edge:` followed by no indented keys) counts as unset.
        - **Durations** are a whole number and a unit: `250ms`, `5s`, `1m`, `1h`. Zero is not a
          duration.
        - **Environment variables**: in any string value, `${NAME}` is replaced by the variable
          `NAME` and `${NAME:-fallback}` by `fallback` when `NAME` is unset or empty; `$${` writes a
          literal `${`. A value that is exactly one reference takes the type the key needs, so
          `port: ${PORT}` is a number. A reference to an unset variable without a fallback is an
          error that names the key and the variable.
        - **Secrets** (tokens, passwords) belong in a Kubernetes Secret, passed to the agent
          container as environment variables and referenced as `${NAME}`. Values that came from the
          environment, and keys marked *secret* below, are shown as `<redacted...>` by
          `GET /config` and never printed in logs or validation errors.
        - **Hash**: `GET /config` shows the SHA-256 of the effective configuration (defaults
          applied, keys sorted, durations normalised), so `60s` and `1m` give the same hash.
          Secrets are part of what is hashed: a rotated secret changes the hash.

        """);
  }
}
