package io.mcpsidecar.injector.catalog;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One approved MCP server: its image repository, who owns it, the SLO it promises, where its SBOM
 * or provenance lives, and which digests may run.
 *
 * @param requireDigest whether images must be pinned by digest ({@code image@sha256:...})
 * @param digests the approved digests; empty means any digest (if pinning is required at all)
 */
public record CatalogEntry(
    String repository,
    String owner,
    String slo,
    Optional<String> sbom,
    Optional<String> provenance,
    boolean requireDigest,
    Set<String> digests) {
  public CatalogEntry {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(slo, "slo");
    digests = Set.copyOf(digests);
  }

  /** Whether an image of this repository must carry a digest. */
  public boolean demandsDigest() {
    return requireDigest || !digests.isEmpty();
  }
}
