package dev.keyturn.client;

import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
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

  /** Re-reads the directory if its contents changed; returns whether they had. */
  boolean reloadIfChanged() {
    String now = files.fingerprint();
    if (now.equals(fingerprint)) {
      return false;
    }
    List<InstalledLicense> ok = new ArrayList<>();
    Map<String, String> bad = new LinkedHashMap<>();
    for (LicenseFiles.Stored stored : files.list()) {
      try {
        SignedLicense signed = reader.read(stored.text());
        Verification v = verifier.verifySignature(signed);
        if (!v.isValid()) {
          bad.put(stored.file().getFileName().toString(), v.message());
        } else if (!domainMatches(signed)) {
          bad.put(stored.file().getFileName().toString(), "issued for another instance");
        } else {
          ok.add(new InstalledLicense(LicenseFiles.hashOf(signed), signed));
        }
      } catch (LicenseFormatException e) {
        bad.put(stored.file().getFileName().toString(), e.getMessage());
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
