package dev.keyturn.server.signingkey.internal;

import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.signingkey.MasterKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Finds the master key: {@code KEYTURN_MASTER_KEY}, else the key file. Outside the {@code prod}
 * profile a missing key file is generated, with a loud warning, so the first start just works; in
 * {@code prod} a missing key stops the server, because a generated one next to the database it
 * protects protects nothing.
 */
@Configuration(proxyBeanMethods = false)
class MasterKeyConfiguration {
  private static final Logger log = LoggerFactory.getLogger(MasterKeyConfiguration.class);

  @Bean
  MasterKey masterKey(KeyturnProperties properties, Environment environment) {
    if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
      return MasterKey.fromBase64(properties.masterKey(), "KEYTURN_MASTER_KEY");
    }
    Path file = properties.masterKeyFile();
    try {
      if (Files.exists(file)) {
        return MasterKey.fromBase64(
            Files.readString(file, StandardCharsets.US_ASCII), "master key file " + file);
      }
      if (environment.acceptsProfiles(Profiles.of("prod"))) {
        throw new SigningKeyException(
            "no master key: set KEYTURN_MASTER_KEY (base64 of 32 random bytes, e.g. `openssl rand"
                + " -base64 32`) or keyturn.master-key-file; the prod profile never generates one");
      }
      byte[] key = MasterKey.generate();
      write(file, Base64.getEncoder().encodeToString(key) + "\n");
      log.warn(
          "\n\n  !!! DEV MODE: generated a master key in {}\n  !!! It encrypts the license signing keys."
              + " Back it up, keep it away from database backups,\n  !!! and in production set"
              + " KEYTURN_MASTER_KEY instead (the prod profile refuses to generate one).\n",
          file.toAbsolutePath());
      return new MasterKey(key);
    } catch (IOException e) {
      throw new SigningKeyException(
          "cannot read or write the master key file " + file + ": " + e, e);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    } else {
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    }
  }
}
