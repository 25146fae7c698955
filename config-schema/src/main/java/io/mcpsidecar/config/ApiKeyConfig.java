package io.mcpsidecar.config;

/**
 * One API key.
 *
 * @param key the key itself, or {@code sha256:<hex>} of it
 * @param tenant the tenant of callers presenting it
 * @param subject their subject; empty: derived from the key's hash
 */
public record ApiKeyConfig(Secret key, String tenant, String subject) {}
