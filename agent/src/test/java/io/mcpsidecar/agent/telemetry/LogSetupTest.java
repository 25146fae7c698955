package io.mcpsidecar.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {

  @Test
  void configuresJsonLinesThroughANonBlockingQueue() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);

    assertThat(setup.configure(context))
        .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.vertx").getLevel()).isEqualTo(Level.INFO);
    AsyncAppender async = (AsyncAppender) root.getAppender("ASYNC");
    assertThat(async.isStarted()).isTrue();
    assertThat(async.isNeverBlock()).isTrue();
    assertThat(async.getQueueSize()).isEqualTo(LogSetup.QUEUE_SIZE);
    assertThat(async.getDiscardingThreshold()).isZero();
    @SuppressWarnings("unchecked")
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) async.getAppender("STDOUT");
    assertThat(console.getEncoder()).isInstanceOf(JsonLineEncoder.class);
    context.stop();
  }

  @Test
  void writesTheSameJsonLineTheEncoderDoes() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider does
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    setup.configure(context);
    AsyncAppender async =
        (AsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
    @SuppressWarnings("unchecked")
    ConsoleAppender<ILoggingEvent> console =
        (ConsoleAppender<ILoggingEvent>) async.getAppender("STDOUT");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    console.setOutputStream(out);

    context.getLogger("io.mcpsidecar.test").info("hello {}", "there");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (out.size() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    context.stop();

    String line = out.toString(StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n").contains("\"level\":\"INFO\"");
    assertThat(line).contains("\"logger\":\"io.mcpsidecar.test\"", "\"msg\":\"hello there\"");
  }

  @Test
  void stepsAsideForAConfigurationFileOfOnesOwn() {
    LoggerContext context = new LoggerContext();
    LogSetup setup = new LogSetup();
    setup.setContext(context);
    String before = System.getProperty(LogSetup.CONFIG_FILE_PROPERTY);
    System.setProperty(LogSetup.CONFIG_FILE_PROPERTY, "/etc/mcp-sidecar/logback.xml");
    try {
      assertThat(setup.configure(context))
          .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
          .isFalse();
    } finally {
      if (before == null) {
        System.clearProperty(LogSetup.CONFIG_FILE_PROPERTY);
      } else {
        System.setProperty(LogSetup.CONFIG_FILE_PROPERTY, before);
      }
      context.stop();
    }
  }

  @Test
  void isWhatLogbackFindsOnTheClassPath() {
    // The test JVM's logging was configured by logback's own discovery: through this class.
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC"))
        .isInstanceOf(AsyncAppender.class);
  }
}
