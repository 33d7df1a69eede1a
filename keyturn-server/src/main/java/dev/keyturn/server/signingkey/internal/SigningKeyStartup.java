package dev.keyturn.server.signingkey.internal;

import dev.keyturn.server.signingkey.SigningKeys;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Generates the first signing key on a fresh database, and fails the start on a wrong master key.
 */
@Component
class SigningKeyStartup implements ApplicationRunner {
  private final SigningKeys keys;

  SigningKeyStartup(SigningKeys keys) {
    this.keys = keys;
  }

  @Override
  public void run(ApplicationArguments args) {
    keys.ensureActiveKey();
  }
}
