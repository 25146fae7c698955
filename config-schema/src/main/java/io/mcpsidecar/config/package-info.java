/**
 * The agent's configuration: the JSON Schema is the contract, and the immutable records here are
 * derived from it. Nothing is null unless marked {@link org.jspecify.annotations.Nullable}: the
 * schema's defaults fill every key a file leaves out, so no config record component is ever null.
 */
@NullMarked
package io.mcpsidecar.config;

import org.jspecify.annotations.NullMarked;
