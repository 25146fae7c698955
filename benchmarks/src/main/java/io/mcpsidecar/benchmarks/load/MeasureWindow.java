package io.mcpsidecar.benchmarks.load;

/** Told when a load run's measured window opens and closes (after its warm-up). */
public interface MeasureWindow {

  MeasureWindow NONE =
      new MeasureWindow() {
        @Override
        public void opened() {}

        @Override
        public void closed() {}
      };

  void opened();

  void closed();
}
