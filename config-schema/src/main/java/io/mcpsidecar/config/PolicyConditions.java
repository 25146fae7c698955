package io.mcpsidecar.config;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import java.util.List;

/**
 * The CEL environment of policy rules' {@code when} conditions: the variables a condition may name
 * and the options it is compiled with. The config validator and the agent's policy engine both
 * compile here, so a condition the config accepts is one the engine can run.
 *
 * <p>Variables: {@code tenant}, {@code subject}, {@code method}, {@code name}, {@code uri}
 * (strings, empty when not applicable), {@code claims} (the token's claims), {@code args} (the
 * call's {@code params.arguments}), both maps of string to dyn, and {@code now} (a timestamp).
 * Numbers compare across int and double ({@code args.amount > 1000} works for 1000.5 and 5000).
 */
public final class PolicyConditions {

  /** The variables a condition may name, in the order documented. */
  public static final List<String> VARIABLES =
      List.of("tenant", "subject", "claims", "method", "name", "uri", "args", "now");

  /** Options shared by compiler and runtime. */
  public static final CelOptions OPTIONS =
      CelOptions.current()
          .enableHeterogeneousNumericComparisons(true)
          .evaluateCanonicalTypesToNativeValues(true)
          .build();

  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setOptions(OPTIONS)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("tenant", SimpleType.STRING)
          .addVar("subject", SimpleType.STRING)
          .addVar("claims", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("method", SimpleType.STRING)
          .addVar("name", SimpleType.STRING)
          .addVar("uri", SimpleType.STRING)
          .addVar("args", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .addVar("now", SimpleType.TIMESTAMP)
          .setResultType(SimpleType.BOOL)
          .build();

  private PolicyConditions() {}

  /**
   * Compiles and type-checks a condition.
   *
   * @throws InvalidCondition when it does not parse, names an unknown variable or function, or is
   *     not boolean
   */
  public static CelAbstractSyntaxTree compile(String condition) {
    CelValidationResult result = COMPILER.compile(condition);
    if (result.hasError()) {
      throw new InvalidCondition(firstLine(result.getErrors().get(0).getMessage()));
    }
    try {
      return result.getAst();
    } catch (CelValidationException e) {
      throw new InvalidCondition(firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    String text = message == null ? "invalid" : message.strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** A condition that cannot run; the message says why, without the condition's text. */
  public static final class InvalidCondition extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidCondition(String message) {
      super(message, null, false, false);
    }
  }
}
