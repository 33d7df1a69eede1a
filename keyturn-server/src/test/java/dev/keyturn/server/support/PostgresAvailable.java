package dev.keyturn.server.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips PostgreSQL tests, with a message, when no local PostgreSQL answers; under {@code CI=true}
 * that is a failure instead, so CI can never pass without having run them.
 */
public final class PostgresAvailable implements ExecutionCondition {
  private static Boolean reachable;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    synchronized (PostgresAvailable.class) {
      if (reachable == null) {
        reachable = PostgresDatabase.reachable();
      }
    }
    if (reachable) {
      return ConditionEvaluationResult.enabled("PostgreSQL answers at " + PostgresDatabase.SERVER);
    }
    String message = "PostgreSQL is not reachable on 127.0.0.1:5432 (user postgres, database test)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(message + "; CI=true requires it");
    }
    return ConditionEvaluationResult.disabled(message + "; PostgreSQL tests skipped");
  }
}
