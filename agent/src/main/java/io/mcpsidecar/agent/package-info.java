/**
 * The composition root ({@link io.mcpsidecar.agent.Agent}) and the command line ({@link
 * io.mcpsidecar.agent.Main}). Nothing is null unless marked {@link
 * org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.mcpsidecar.agent;

import org.jspecify.annotations.NullMarked;
