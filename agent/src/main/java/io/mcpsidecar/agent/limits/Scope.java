package io.mcpsidecar.agent.limits;

import io.mcpsidecar.agent.mcp.ErrorCode;

/** What a limit is about; {@link #label} names it in metrics, headers and rejection data. */
enum Scope {
  REQUESTS("requests", ErrorCode.RATE_LIMITED),
  TOOL("tool", ErrorCode.RATE_LIMITED),
  QUOTA_DAY("quota_day", ErrorCode.QUOTA_EXHAUSTED),
  QUOTA_MONTH("quota_month", ErrorCode.QUOTA_EXHAUSTED),
  CONCURRENCY("concurrency", ErrorCode.CONCURRENCY_LIMITED),
  GLOBAL("global", ErrorCode.RATE_LIMITED);

  private final String label;
  private final ErrorCode code;

  Scope(String label, ErrorCode code) {
    this.label = label;
    this.code = code;
  }

  String label() {
    return label;
  }

  ErrorCode code() {
    return code;
  }

  boolean quota() {
    return this == QUOTA_DAY || this == QUOTA_MONTH;
  }
}
