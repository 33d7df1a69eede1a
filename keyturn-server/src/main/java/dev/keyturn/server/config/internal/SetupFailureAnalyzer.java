package dev.keyturn.server.config.internal;

import dev.keyturn.server.config.SetupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Puts a failed start's own explanation (no master key, test clock in prod…) on top of the log,
 * instead of at the bottom of a chain of bean-creation errors.
 */
class SetupFailureAnalyzer extends AbstractFailureAnalyzer<SetupException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SetupException cause) {
    return new FailureAnalysis(
        cause.getMessage(), "Fix the setting named above and start Keyturn again.", cause);
  }
}
