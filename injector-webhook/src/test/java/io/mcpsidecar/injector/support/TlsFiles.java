package io.mcpsidecar.injector.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TLS files laid out the way the kubelet mounts a Secret: {@code tls.crt} and {@code tls.key} are
 * symlinks into {@code ..data}, itself a symlink to a timestamped directory; a rotation writes a
 * new directory and swaps {@code ..data} atomically.
 */
public final class TlsFiles {
  private final Path dir;
  private final AtomicInteger generation = new AtomicInteger();

  public TlsFiles(Path dir) {
    this.dir = dir;
  }

  public Path cert() {
    return dir.resolve("tls.crt");
  }

  public Path key() {
    return dir.resolve("tls.key");
  }

  /** Writes a new generation and points {@code ..data} at it, as the kubelet does. */
  public void write(String keyPem, String certPem) {
    try {
      Path generationDir = dir.resolve("..2026_" + generation.incrementAndGet());
      Files.createDirectories(generationDir);
      Files.writeString(generationDir.resolve("tls.key"), keyPem, StandardCharsets.US_ASCII);
      Files.writeString(generationDir.resolve("tls.crt"), certPem, StandardCharsets.US_ASCII);
      Path tmpLink = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmpLink);
      Files.createSymbolicLink(tmpLink, generationDir.getFileName());
      Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      for (String name : new String[] {"tls.key", "tls.crt"}) {
        Path link = dir.resolve(name);
        if (!Files.isSymbolicLink(link)) {
          Files.createSymbolicLink(link, Path.of("..data", name));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a server certificate signed by {@code ca} for a fresh key; returns it. */
  public TestCertificates.Issued issue(TestCertificates.Issued ca) {
    var server = TestCertificates.server(ca, TestCertificates.ec(), java.time.Duration.ofDays(30));
    write(
        TestCertificates.pkcs8Pem(server.keys()),
        TestCertificates.certificatePem(server.certificate(), ca.certificate()));
    return server;
  }
}
