package io.mcpsidecar.benchmarks.run;

import io.mcpsidecar.benchmarks.load.MeasureWindow;
import io.mcpsidecar.benchmarks.process.ChildProcess;
import io.mcpsidecar.benchmarks.process.ProcessStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Watches the processes of a run while its measured window is open: the proxy's CPU time and peak
 * resident memory, and how busy the machine was with processes that are not part of the benchmark
 * (other work on a shared machine is the main source of noise, so every figure carries it).
 */
final class ResourceSampler implements MeasureWindow {

  private static final long SAMPLE_EVERY_MS = 200;

  private final ChildProcess proxy;
  private final List<ChildProcess> ours;
  private volatile boolean sampling;
  private Thread sampler;
  private long openedNanos;
  private double proxyCpuAtOpen;
  private double oursCpuAtOpen;
  private double machineCpuAtOpen;
  private volatile long peakRss;
  private Window window;

  /** What the window saw. */
  record Window(double seconds, double proxyCpuSeconds, long proxyPeakRss, double foreignCpu) {}

  /**
   * @param proxy the process whose cost is measured, or null (direct)
   * @param ours every process of the benchmark (upstream, proxies, wrk); the harness is added
   */
  ResourceSampler(ChildProcess proxy, List<ChildProcess> ours) {
    this.proxy = proxy;
    this.ours = ours;
  }

  @Override
  public void opened() {
    openedNanos = System.nanoTime();
    proxyCpuAtOpen = proxy == null ? 0 : proxy.sample().cpuSeconds();
    oursCpuAtOpen = oursCpu();
    machineCpuAtOpen = machineCpuSeconds();
    peakRss = 0;
    sampling = true;
    if (proxy != null) {
      sampler =
          new Thread(
              () -> {
                while (sampling) {
                  peakRss = Math.max(peakRss, proxy.sample().rssBytes());
                  try {
                    Thread.sleep(SAMPLE_EVERY_MS);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "rss-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }
  }

  @Override
  public void closed() {
    sampling = false;
    double seconds = (System.nanoTime() - openedNanos) / 1e9;
    double proxyCpu = proxy == null ? 0 : proxy.sample().cpuSeconds() - proxyCpuAtOpen;
    if (proxy != null) {
      peakRss = Math.max(peakRss, proxy.sample().rssBytes());
    }
    double machine = machineCpuSeconds() - machineCpuAtOpen;
    double mine = oursCpu() - oursCpuAtOpen;
    // The harness is pinned to one CPU, so it counts the machine's CPUs itself.
    double foreign = Math.max(0, machine - mine) / (seconds * onlineCpus());
    window = new Window(seconds, proxyCpu, peakRss, foreign);
  }

  Window window() {
    return window;
  }

  private double oursCpu() {
    double total = ProcessStats.sample(ProcessHandle.current()).cpuSeconds();
    for (ChildProcess p : ours) {
      if (p != null && p.alive()) {
        total += p.sample().cpuSeconds();
      }
    }
    return total;
  }

  /** Busy CPU seconds of the whole machine so far (all CPUs; idle and iowait excluded). */
  static double machineCpuSeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) { // idle, iowait
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / 100.0; // USER_HZ
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static int onlineCpus() {
    try {
      return (int)
          Files.readAllLines(Path.of("/proc/stat")).stream()
              .filter(l -> l.matches("cpu\\d+ .*"))
              .count();
    } catch (IOException e) {
      return 1;
    }
  }
}
