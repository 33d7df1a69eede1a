package dev.keyturn.client.store;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.Pem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@code CrashDuringInstallTest}: starts installing a license, and when the
 * license's temporary file is on disk (before the rename) says so on stdout and waits to be killed.
 *
 * <p>Arguments: state directory, key id, public key PEM, license file, clock instant.
 */
public final class InstallThenCrash {
  public static final String READY = "TEMP-FILE-WRITTEN";

  private InstallThenCrash() {}

  public static void main(String[] args) throws InterruptedException {
    AtomicFiles.afterTempWritten =
        target -> {
          if (target.getFileName().toString().endsWith(LicenseFiles.SUFFIX)) {
            System.out.println(READY);
            System.out.flush();
            try {
              new CountDownLatch(1).await(); // until the parent kills this JVM
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    KeyRing keys = KeyRing.builder().add(args[1], Pem.readPublicKey(Path.of(args[2]))).build();
    try (LicenseManager m =
        LicenseManager.builder()
            .stateDir(Path.of(args[0]))
            .trustedKeys(keys)
            .clock(new SettableClock(Instant.parse(args[4])))
            .background(false)
            .build()) {
      m.install(Path.of(args[3]));
    }
    System.out.println("INSTALL-FINISHED"); // never reached when the test works
  }
}
