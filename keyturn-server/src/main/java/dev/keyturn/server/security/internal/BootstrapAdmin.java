package dev.keyturn.server.security.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.security.Role;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * On a first start (no users at all) creates the user {@code admin}: with the password from {@code
 * KEYTURN_ADMIN_PASSWORD}, or a generated one printed this once. Later starts change nothing, so
 * the variable cannot silently reset a password someone has since changed.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {
  static final String USERNAME = "admin";
  private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

  private final UserStore users;
  private final EventLog events;
  private final KeyturnProperties properties;

  BootstrapAdmin(UserStore users, EventLog events, KeyturnProperties properties) {
    this.users = users;
    this.events = events;
    this.properties = properties;
  }

  @Override
  @Transactional
  public void run(ApplicationArguments args) {
    if (users.count() > 0) {
      return;
    }
    String given = properties.adminPassword();
    boolean generated = given == null || given.isBlank();
    String password = generated ? generatePassword() : given;
    try {
      users.create(USERNAME, password, Role.ADMIN);
    } catch (DuplicateKeyException e) {
      return; // another replica created it at the same moment
    }
    events.record("user.created", "system", null, null, Map.of("username", USERNAME));
    if (generated) {
      log.warn(
          "\n\n  Created the bootstrap admin. Sign in as '{}' with password: {}\n  It is shown only"
              + " this once. Set KEYTURN_ADMIN_PASSWORD before the first start to choose it.\n",
          USERNAME,
          password);
    } else {
      log.info(
          "Created the bootstrap admin '{}' with the password from KEYTURN_ADMIN_PASSWORD",
          USERNAME);
    }
  }

  private static String generatePassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
