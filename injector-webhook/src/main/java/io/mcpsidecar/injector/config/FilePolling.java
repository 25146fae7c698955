package io.mcpsidecar.injector.config;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when files change on disk, by content. Kubernetes updates mounted Secrets and ConfigMaps
 * by swapping a {@code ..data} symlink, so file-name events and modification times of the files
 * themselves are unreliable; comparing a digest of the content is not. All file reads happen on
 * this one scheduler thread, never on a request thread.
 */
@Singleton
public final class FilePolling implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FilePolling.class);

  /** Receives the new content of the watched files, in the order they were given. */
  @FunctionalInterface
  public interface Listener {
    void changed(List<byte[]> contents) throws Exception;
  }

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mcp-injector-file-poll");
            t.setDaemon(true);
            return t;
          });

  /**
   * Polls {@code files} every {@code interval} and calls the listener when their content changes.
   * The first read is the caller's job; the fingerprint starts from {@code initial}.
   */
  public Watch watch(
      String name, List<Path> files, Duration interval, List<byte[]> initial, Listener listener) {
    var watch = new Watch(name, files, fingerprint(initial), listener);
    scheduler.scheduleWithFixedDelay(
        watch::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  /** Reads every file; the caller reports failures. */
  public static List<byte[]> read(List<Path> files) throws IOException {
    List<byte[]> contents = new ArrayList<>(files.size());
    for (Path file : files) {
      contents.add(Files.readAllBytes(file));
    }
    return contents;
  }

  @PreDestroy
  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /** One watched group of files. */
  public static final class Watch {
    private final String name;
    private final List<Path> files;
    private final Listener listener;
    private byte[] lastFingerprint;

    Watch(String name, List<Path> files, byte[] fingerprint, Listener listener) {
      this.name = name;
      this.files = List.copyOf(files);
      this.lastFingerprint = fingerprint;
      this.listener = listener;
    }

    /** Checks the files now; called by the scheduler, and by tests that do not want to wait. */
    public synchronized void poll() {
      List<byte[]> contents;
      try {
        contents = read(files);
      } catch (IOException e) {
        // mid-rotation a file can be briefly missing: the next poll sees the settled state
        LOG.debug("{}: cannot read {} yet: {}", name, files, e.toString());
        return;
      }
      byte[] fingerprint = fingerprint(contents);
      if (Arrays.equals(fingerprint, lastFingerprint)) {
        return;
      }
      lastFingerprint = fingerprint;
      try {
        listener.changed(contents);
      } catch (Exception e) {
        LOG.error("{}: reloading {} failed: {}", name, files, e.toString());
      }
    }
  }

  private static byte[] fingerprint(List<byte[]> contents) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (byte[] content : contents) {
        sha.update(
            Integer.toString(content.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(content);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
    }
  }
}
