package io.mcpsidecar.config;

/**
 * Standalone GET event streams open at once in this agent.
 *
 * @param perSession streams of one session; 0: unlimited
 * @param perTenant streams of one tenant over all its sessions; 0: unlimited
 */
public record StreamsConfig(int perSession, int perTenant) {}
