/** Policies: which tenant may call which tool, resource or prompt with which arguments. */
@NullMarked
package io.mcpsidecar.agent.policy;

import org.jspecify.annotations.NullMarked;
