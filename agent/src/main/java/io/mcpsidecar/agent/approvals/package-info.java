/**
 * Approvals: calls an {@code approve} rule matched wait for a human's yes. The binding and its
 * digest, the store (memory or Redis), the {@code approvals} stage (deferred and held calls), the
 * admin API, the CLI and the notifier.
 */
@NullMarked
package io.mcpsidecar.agent.approvals;

import org.jspecify.annotations.NullMarked;
