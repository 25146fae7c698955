/**
 * The stages that bound calls to the MCP server when it fails or is slow: the circuit breaker (and
 * its stale list fallback), the bulkhead with its queue, and retries of idempotent calls under a
 * budget (docs/resilience.md). They plug into the chain that {@code transport} defines.
 */
package io.mcpsidecar.agent.resilience;
