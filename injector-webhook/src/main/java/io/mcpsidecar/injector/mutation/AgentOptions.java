package io.mcpsidecar.injector.mutation;

import io.mcpsidecar.injector.mutation.InjectionSettings.AgentResources;
import java.util.Optional;

/**
 * The settings for one pod: the cluster defaults with that pod's annotations applied.
 *
 * @param envFromSecret a Secret whose keys become the agent's environment variables, so that the
 *     agent config can reference secrets as {@code ${NAME}}
 * @param upstreamPort the {@code mcp-sidecar.io/upstream-port} annotation as given: a port number
 *     or the name of a container port
 */
public record AgentOptions(
    String image,
    String configMap,
    Optional<String> envFromSecret,
    Optional<String> upstreamPort,
    int listenPort,
    int adminPort,
    String logLevel,
    boolean nativeSidecar,
    AgentResources resources) {}
