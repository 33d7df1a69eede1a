package dev.keyturn.client;

import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The installed licenses that can be trusted: every file in the history whose signature verifies
 * against the trusted keys and whose instance domain (if any) is this product's. Files that fail
 * are ignored, never deleted: they are evidence.
 */
final class LicenseHistory {
  private final LicenseFiles files;
  private final LicenseVerifier verifier;
  private final LicenseReader reader = new LicenseReader();
  private final Optional<String> instanceDomain;
  private List<InstalledLicense> authentic = List.of();
  private Map<String, String> ignored = Map.of();
  private String fingerprint;

  LicenseHistory(LicenseFiles files, LicenseVerifier verifier, Optional<String> instanceDomain) {
    this.files = files;
    this.verifier = verifier;
    this.instanceDomain = instanceDomain;
  }

  /**
   * Re-reads the directory if its contents changed; returns whether they had. A license once read
   * is never forgotten while the process runs: a file that disappears (or a directory that cannot
   * be read for a moment) must not lock a paying customer out.
   */
  boolean reloadIfChanged() {
    String now = files.fingerprint();
    if (now.equals(fingerprint)) {
      return false;
    }
    List<LicenseFiles.Stored> stored;
    try {
      stored = files.list();
    } catch (UncheckedIOException e) {
      return false; // keep what we have; the next refresh tries again
    }
    List<InstalledLicense> ok = new ArrayList<>(authentic);
    Map<String, String> bad = new LinkedHashMap<>();
    for (LicenseFiles.Stored file : stored) {
      String name = file.file().getFileName().toString();
      try {
        SignedLicense signed = reader.read(file.text());
        Verification v = verifier.verifySignature(signed);
        if (!v.isValid()) {
          bad.put(name, v.message());
        } else if (!domainMatches(signed)) {
          bad.put(name, "issued for another instance");
        } else if (ok.stream().noneMatch(l -> l.hash().equals(LicenseFiles.hashOf(signed)))) {
          ok.add(new InstalledLicense(LicenseFiles.hashOf(signed), signed));
        }
      } catch (LicenseFormatException e) {
        bad.put(name, e.getMessage());
      }
    }
    authentic = List.copyOf(ok);
    ignored = Map.copyOf(bad);
    fingerprint = now;
    return true;
  }

  void add(InstalledLicense license) {
    List<InstalledLicense> next = new ArrayList<>(authentic);
    next.add(license);
    authentic = List.copyOf(next);
    fingerprint = files.fingerprint();
  }

  boolean contains(String hash) {
    return authentic.stream().anyMatch(l -> l.hash().equals(hash));
  }

  List<InstalledLicense> authentic() {
    return authentic;
  }

  /** File name → why it is not used; reported in the audit log when first seen. */
  Map<String, String> ignored() {
    return ignored;
  }

  /** The newest license whose {@code not_before} has passed at {@code at}. */
  Optional<InstalledLicense> inForce(Instant at) {
    return authentic.stream()
        .filter(l -> !l.license().notBefore().isAfter(at))
        .max(InstalledLicense.NEWEST_LAST);
  }

  /** With nothing in force yet: the license that starts first, to say when it will. */
  Optional<InstalledLicense> nextToStart(Instant at) {
    return authentic.stream()
        .filter(l -> l.license().notBefore().isAfter(at))
        .min(Comparator.comparing(l -> l.license().notBefore()));
  }

  /** The latest {@code issued_at} of any authentic license: time has certainly reached it. */
  Optional<Instant> latestIssuedAt() {
    return authentic.stream().map(l -> l.license().issuedAt()).max(Comparator.naturalOrder());
  }

  private boolean domainMatches(SignedLicense signed) {
    Optional<String> licensed = signed.license().instanceDomain();
    return licensed.isEmpty()
        || instanceDomain.isEmpty()
        || licensed.get().equals(InstanceDomain.normalize(instanceDomain.get()));
  }
}
