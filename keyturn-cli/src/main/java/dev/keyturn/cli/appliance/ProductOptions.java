package dev.keyturn.cli.appliance;

import dev.keyturn.cli.args.InstanceDomainArg;
import dev.keyturn.cli.args.ZoneArg;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.core.KeyturnException;
import dev.keyturn.core.crypto.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that point a command at a product's license state: its directory, the keys it trusts,
 * its instance domain. The client does not record the trusted keys in the state directory, so the
 * admin gives the same ones the product was built with.
 */
public final class ProductOptions {
  @Option(
      names = "--state-dir",
      required = true,
      paramLabel = "DIR",
      description = "The product's license state directory (licenses/, state.json, audit.log).")
  Path stateDir;

  @Option(
      names = "--trust",
      required = true,
      paramLabel = "DIR_OR_PEM",
      description = {
        "A public key the product trusts (<id>.public.pem) or a folder of them (repeatable).",
        "The state directory does not record them: give the keys the product trusts."
      })
  List<Path> trust;

  @Option(
      names = "--instance-domain",
      paramLabel = "D",
      converter = InstanceDomainArg.class,
      description = "The product's instance domain, if it is configured with one.")
  String instanceDomain;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      converter = ZoneArg.class,
      description =
          "Time zone for dates and for 'today'/'tomorrow' (default: this machine's, as the"
              + " product's banners use).")
  ZoneId zone;

  Path stateDir() {
    return stateDir;
  }

  ZoneId zone() {
    return zone != null ? zone : ZoneId.systemDefault();
  }

  /**
   * Refuses a path that is not a directory before anything is built: a mistyped path must neither
   * read as "no license" nor become a new, empty state directory that the product never reads.
   */
  void requireStateDir(String hint) {
    if (!Files.isDirectory(stateDir)) {
      throw new KeyturnException(
          (Files.exists(stateDir)
                  ? stateDir + " is not a directory"
                  : "no such directory: " + stateDir)
              + "; "
              + hint);
    }
  }

  /** A manager on this state directory; never with a background thread, as a command is brief. */
  LicenseManager.Builder manager(Clock clock) {
    KeyRing.Builder ring = KeyRing.builder();
    trust.forEach(ring::addPath);
    LicenseManager.Builder b =
        LicenseManager.builder()
            .stateDir(stateDir)
            .trustedKeys(ring.build())
            .clock(clock)
            .zone(zone())
            .background(false);
    if (instanceDomain != null) {
      b.instanceDomain(instanceDomain);
    }
    return b;
  }
}
