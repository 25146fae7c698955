package io.mcpsidecar.injector.mutation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MCP server's port inside the pod, which the agent forwards to.
 *
 * @param port the port number
 * @param container the name of the container serving it (the first container when the port was
 *     given by number and no container declares it)
 * @param containerIndex the index of the declaring container in {@code spec.containers}, or -1
 * @param portIndex the index of the port in that container's {@code ports}, or -1
 * @param portName the declared port's name, if it has one: that name moves to the agent
 * @param source how the port was found, for the status annotation and the docs
 */
public record UpstreamPort(
    int port,
    String container,
    int containerIndex,
    int portIndex,
    Optional<String> portName,
    String source) {

  /** The name of the port that marks the MCP server container. */
  public static final String MCP_PORT_NAME = "mcp";

  /** The outcome of looking for the upstream port. */
  public sealed interface Resolution {}

  public record Found(UpstreamPort port) implements Resolution {}

  public record NotFound() implements Resolution {}

  public record Invalid(String problem) implements Resolution {}

  /**
   * Finds the upstream port: annotation {@code mcp-sidecar.io/upstream-port} (number or port name),
   * else the container port named {@code mcp}, else the only port of the only container.
   */
  public static Resolution resolve(PodView pod, Optional<String> annotation) {
    JsonNode containers = pod.containers();
    if (annotation.isPresent()) {
      return fromAnnotation(containers, annotation.get());
    }
    Optional<UpstreamPort> named =
        findPort(containers, p -> MCP_PORT_NAME.equals(p.path("name").asText(null)), "port named");
    if (named.isPresent()) {
      return new Found(named.get());
    }
    if (containers.size() == 1 && containers.get(0).path("ports").size() == 1) {
      JsonNode port = containers.get(0).path("ports").get(0);
      return new Found(describe(containers.get(0), 0, port, 0, "only port"));
    }
    return new NotFound();
  }

  private static Resolution fromAnnotation(JsonNode containers, String value) {
    String source = "annotation " + PodKeys.UPSTREAM_PORT;
    if (value.chars().allMatch(Character::isDigit)) {
      int number = Integer.parseInt(value);
      Optional<UpstreamPort> declared =
          findPort(containers, p -> p.path("containerPort").asInt(-1) == number, source);
      String first = containers.path(0).path("name").asText("");
      return new Found(
          declared.orElse(
              new UpstreamPort(number, first, -1, -1, Optional.empty(), source + " (undeclared)")));
    }
    Optional<UpstreamPort> named =
        findPort(containers, p -> value.equals(p.path("name").asText(null)), source);
    if (named.isPresent()) {
      return new Found(named.get());
    }
    List<String> names = new ArrayList<>();
    containers.forEach(c -> c.path("ports").forEach(p -> names.add(p.path("name").asText(""))));
    names.removeIf(String::isEmpty);
    return new Invalid(
        "metadata.annotations[\""
            + PodKeys.UPSTREAM_PORT
            + "\"]: \""
            + value
            + "\" (expected: a port number, or the name of a port of the pod's containers"
            + (names.isEmpty() ? ", which name none" : ": " + String.join(", ", names))
            + ")");
  }

  private interface PortTest {
    boolean matches(JsonNode port);
  }

  private static Optional<UpstreamPort> findPort(
      JsonNode containers, PortTest test, String source) {
    for (int c = 0; c < containers.size(); c++) {
      JsonNode ports = containers.get(c).path("ports");
      for (int p = 0; p < ports.size(); p++) {
        JsonNode port = ports.get(p);
        boolean tcp = port.path("protocol").asText("TCP").equals("TCP");
        if (tcp && test.matches(port)) {
          return Optional.of(describe(containers.get(c), c, port, p, source));
        }
      }
    }
    return Optional.empty();
  }

  private static UpstreamPort describe(
      JsonNode container, int containerIndex, JsonNode port, int portIndex, String source) {
    Optional<String> name = PodView.text(port.path("name"));
    String containerName = container.path("name").asText("");
    String how =
        source.equals("port named")
            ? "port named " + MCP_PORT_NAME + " of container " + containerName
            : source + " (container " + containerName + ")";
    return new UpstreamPort(
        port.path("containerPort").asInt(), containerName, containerIndex, portIndex, name, how);
  }
}
