package io.mcpsidecar.injector.catalog;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference, normalised the way the container runtime resolves it: {@code nginx}
 * is {@code docker.io/library/nginx}, {@code ghcr.io/acme/mcp:1.2@sha256:...} has repository {@code
 * ghcr.io/acme/mcp}, tag {@code 1.2} and a digest (which wins over the tag).
 *
 * @param repository the full repository name, registry included
 * @param tag the tag, if any
 * @param digest the content digest ({@code algorithm:hex}), if the image is pinned
 */
public record ImageReference(String repository, Optional<String> tag, Optional<String> digest) {
  private static final Pattern DIGEST =
      Pattern.compile("^sha(256:[a-f0-9]{64}|384:[a-f0-9]{96}|512:[a-f0-9]{128})$");
  private static final Pattern PATH_COMPONENT =
      Pattern.compile("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$");
  private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
  private static final Pattern REGISTRY = Pattern.compile("^[A-Za-z0-9.-]+(?::[0-9]+)?$");
  private static final String DOCKER_HUB = "docker.io";

  /** Whether {@code text} is a digest this catalog understands. */
  public static boolean isDigest(String text) {
    return DIGEST.matcher(text).matches();
  }

  /** The reference, or empty when {@code text} is not a valid image reference. */
  public static Optional<ImageReference> parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 4096) {
      return Optional.empty();
    }
    String name = text;
    Optional<String> digest = Optional.empty();
    int at = text.indexOf('@');
    if (at >= 0) {
      digest = Optional.of(text.substring(at + 1));
      name = text.substring(0, at);
      if (!isDigest(digest.get())) {
        return Optional.empty();
      }
    }
    Optional<String> tag = Optional.empty();
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = Optional.of(name.substring(colon + 1));
      name = name.substring(0, colon);
      if (!TAG.matcher(tag.get()).matches()) {
        return Optional.empty();
      }
    }
    Optional<String> finalTag = tag;
    Optional<String> finalDigest = digest;
    return normalise(name).map(repository -> new ImageReference(repository, finalTag, finalDigest));
  }

  /** The normalised repository of a name without tag or digest, e.g. for catalog entries. */
  public static Optional<String> normalise(String name) {
    String registry = DOCKER_HUB;
    String path = name;
    int slash = name.indexOf('/');
    if (slash > 0) {
      String first = name.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
        path = name.substring(slash + 1);
      }
    }
    if (!REGISTRY.matcher(registry).matches() || path.isEmpty()) {
      return Optional.empty();
    }
    for (String component : path.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        return Optional.empty();
      }
    }
    if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
      path = "library/" + path;
    }
    return Optional.of(registry.toLowerCase(java.util.Locale.ROOT) + "/" + path);
  }
}
