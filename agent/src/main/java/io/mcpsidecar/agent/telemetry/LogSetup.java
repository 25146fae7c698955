package io.mcpsidecar.agent.telemetry;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code rather than from an XML file, which would load an XML parser
 * and logback's configuration interpreter (about 500 classes) into every sidecar: JSON lines on
 * standard output ({@link JsonLineEncoder}) through an asynchronous appender, so no event loop ever
 * waits on the console (8,192 events queued, never blocking, nothing discarded below the queue
 * bound); {@code io.netty} at WARN, {@code io.vertx} at INFO, the rest at INFO until the config's
 * {@code logging.level} applies.
 *
 * <p>Found by logback through {@code META-INF/services}. An operator who sets {@code
 * -Dlogback.configurationFile} gets that file instead: this configurator then steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

  /** The system property through which logback reads a configuration file of one's own. */
  static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";

  static final int QUEUE_SIZE = 8192;

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(console);
    async.start();
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("io.vertx").setLevel(Level.INFO);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
