/*
 * Runs the Micronaut AOT optimizer over the compiled injector at build time.
 *
 * Launched by the build (exec-maven-plugin, phase prepare-package) as a single-file source
 * program: `java -cp <compile classpath> MicronautAotLauncher.java <aot.properties> <output dir>
 * <package>`. It is never compiled into the application and never shipped. It does what
 * micronaut-aot-cli's Main does (that artifact is not served by the registry here): hand the
 * properties, the application classpath and the output directory to
 * io.micronaut.aot.MicronautAotOptimizer, which runs in the same class loader as the application.
 */
import io.micronaut.aot.MicronautAotOptimizer;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

public final class MicronautAotLauncher {
  private MicronautAotLauncher() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "usage: MicronautAotLauncher <aot.properties> <output directory> <package>");
    }
    var properties = new Properties();
    try (var in = new InputStreamReader(new FileInputStream(args[0]), StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    String classpath = System.getProperty("java.class.path").replace(File.pathSeparatorChar, ',');
    properties.put("classpath", classpath);
    properties.put("output.directory", new File(args[1]).getAbsolutePath());
    properties.put("package", args[2]);
    properties.put("runtime", "jit");
    MicronautAotOptimizer.execute(properties);
  }
}
