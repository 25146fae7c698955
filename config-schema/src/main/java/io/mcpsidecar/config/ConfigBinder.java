package io.mcpsidecar.config;

import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Binds a validated, defaulted config tree to the immutable records, and writes records back to a
 * tree (durations in config notation) for the redacted view and the hash. Record component names
 * are the schema's property names.
 */
final class ConfigBinder {

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .addModule(
              new SimpleModule("mcp-sidecar-config")
                  .addDeserializer(Duration.class, new DurationReader())
                  .addSerializer(Duration.class, new DurationWriter())
                  .addDeserializer(Secret.class, new SecretReader())
                  .addSerializer(Secret.class, new SecretWriter())
                  .addDeserializer(Glob.class, new GlobReader())
                  .addSerializer(Glob.class, new GlobWriter())
                  .addDeserializer(LimitsConfig.Backend.class, spelled(LimitsConfig.Backend.class))
                  .addDeserializer(
                      LimitsConfig.FailMode.class, spelled(LimitsConfig.FailMode.class))
                  .addDeserializer(
                      TracingConfig.Protocol.class, spelled(TracingConfig.Protocol.class))
                  .addDeserializer(LoggingConfig.Level.class, spelled(LoggingConfig.Level.class))
                  .addDeserializer(PolicyConfig.Mode.class, spelled(PolicyConfig.Mode.class))
                  .addDeserializer(PolicyConfig.Effect.class, spelled(PolicyConfig.Effect.class))
                  .addDeserializer(
                      ApprovalsConfig.Store.class, spelled(ApprovalsConfig.Store.class))
                  .addSerializer(Spelled.class, new SpelledWriter()))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .build();

  private ConfigBinder() {}

  /** Binds; a value the schema let through but Java cannot hold surfaces as an exception. */
  static <T> T bind(JsonNode tree, Class<T> type) throws JacksonException {
    return MAPPER.treeToValue(tree, type);
  }

  static JsonNode toTree(Object config) {
    return MAPPER.valueToTree(config);
  }

  static JsonMapper mapper() {
    return MAPPER;
  }

  private static final class DurationReader extends ValueDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return DurationText.parse(p.getString());
      } catch (IllegalArgumentException | ArithmeticException e) {
        return (Duration)
            ctxt.handleWeirdStringValue(Duration.class, p.getString(), "not a duration");
      }
    }
  }

  private static final class DurationWriter extends ValueSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeString(DurationText.format(value));
    }
  }

  private static <E extends Enum<E> & Spelled> ValueDeserializer<E> spelled(Class<E> type) {
    return new ValueDeserializer<>() {
      @Override
      public E deserialize(JsonParser p, DeserializationContext ctxt) {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          return type.cast(ctxt.handleUnexpectedToken(type, p));
        }
        return Spelled.parse(type, p.getString())
            .orElseGet(
                () -> type.cast(ctxt.handleWeirdStringValue(type, p.getString(), "not one of")));
      }
    };
  }

  private static final class SpelledWriter extends ValueSerializer<Spelled> {
    @Override
    public void serialize(Spelled value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeString(value.spelling());
    }
  }

  private static final class GlobReader extends ValueDeserializer<Glob> {
    @Override
    public Glob deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Glob) ctxt.handleUnexpectedToken(Glob.class, p);
      }
      return Glob.of(p.getString());
    }
  }

  private static final class GlobWriter extends ValueSerializer<Glob> {
    @Override
    public void serialize(Glob value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeString(value.text());
    }
  }

  private static final class SecretReader extends ValueDeserializer<Secret> {
    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Secret) ctxt.handleUnexpectedToken(Secret.class, p);
      }
      return new Secret(p.getString());
    }
  }

  // The real value goes into the tree that is hashed; the redacted view masks it by schema path.
  private static final class SecretWriter extends ValueSerializer<Secret> {
    @Override
    public void serialize(Secret value, JsonGenerator gen, SerializationContext ctxt) {
      gen.writeString(value.reveal());
    }
  }
}
