package io.mcpsidecar.config;

/**
 * Callers without credentials.
 *
 * @param allowed whether they are let in
 * @param tenant the tenant they all share
 */
public record AnonymousConfig(boolean allowed, String tenant) {}
