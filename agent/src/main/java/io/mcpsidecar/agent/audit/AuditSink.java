package io.mcpsidecar.agent.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The one writer of the audit trail: one JSON line per {@link AuditEvent} on logger {@value
 * #LOGGER}, counted in {@code mcp_sidecar_audit_events_total{type}}. Every type's counter exists
 * from start-up, so a dashboard sees 0 rather than no series. Thread-safe; never blocks beyond the
 * logging framework's own appenders.
 */
public final class AuditSink {

  /** The logger every audit event goes to; route it to its own sink in logback if needed. */
  public static final String LOGGER = "mcp.audit";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private final Map<AuditEvent.Type, Counter> counters = new EnumMap<>(AuditEvent.Type.class);

  public AuditSink(MeterRegistry registry) {
    for (AuditEvent.Type type : AuditEvent.Type.values()) {
      counters.put(
          type,
          Counter.builder("mcp.sidecar.audit.events")
              .description("Audit events written, by type")
              .tag("type", type.label())
              .register(registry));
    }
  }

  /** Writes the event and counts it. */
  public void write(AuditEvent event) {
    LoggingEventBuilder line = event.isWarning() ? LOG.atWarn() : LOG.atInfo();
    for (Map.Entry<String, Object> field : event.fields().entrySet()) {
      line = line.addKeyValue(field.getKey(), field.getValue());
    }
    line.log(event.message());
    counters.get(event.type()).increment();
  }
}
