package dev.keyturn.client;

import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.client.store.UsageRecord;
import dev.keyturn.client.store.UsageStore;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.ReadLimits;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * docs/design.md §5's install: verify → instance → validity → not revoked → limits → atomic write →
 * swap in memory → audit. Used by {@link LicenseManager#install} and by check-in for a license the
 * server sends.
 */
final class Installer {
  private static final int MAX_AUDITED_MESSAGE = 500;

  private final Engine engine;

  Installer(Engine engine) {
    this.engine = engine;
  }

  InstallResult install(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(ReadLimits.DEFAULT_MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return InstallResult.rejected(
          VerificationCode.MALFORMED, "no such file: " + file, Optional.empty());
    } catch (IOException e) {
      return InstallResult.rejected(
          VerificationCode.MALFORMED,
          "cannot read " + file + ": " + e.getMessage(),
          Optional.empty());
    }
    if (bytes.length > ReadLimits.DEFAULT_MAX_FILE_BYTES) {
      return install(new String(bytes, StandardCharsets.ISO_8859_1)); // the reader names the limit
    }
    try {
      return install(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return InstallResult.rejected(
          VerificationCode.MALFORMED, file + " is not UTF-8 text", Optional.empty());
    }
  }

  InstallResult install(String text) {
    return engine.locked(() -> installLocked(text));
  }

  /** The install itself; the caller holds the engine's lock. */
  InstallResult installLocked(String text) {
    engine.history.reloadIfChanged();
    GuardedTime t = engine.now();
    Verification v = engine.verifier.verify(text, t.effective(), engine.instanceDomain);
    Optional<License> license = v.license().map(SignedLicense::license);
    if (!v.isValid()) {
      return reject(t, v.code(), v.message(), license, List.of());
    }
    SignedLicense signed = v.license().orElseThrow();
    License lic = signed.license();
    Optional<String> revoked = engine.state.revocationReason(lic.id());
    if (revoked.isPresent()) {
      return reject(
          t,
          VerificationCode.REVOKED,
          "the vendor revoked license "
              + lic.id()
              + " ("
              + revoked.get()
              + "); it cannot be installed",
          license,
          List.of());
    }
    InstalledLicense candidate = new InstalledLicense(LicenseFiles.hashOf(signed), signed);
    Optional<InstalledLicense> current = engine.history.inForce(t.effective());
    if (engine.history.contains(candidate.hash())) {
      boolean inForce = current.map(c -> c.hash().equals(candidate.hash())).orElse(false);
      return new InstallResult(
          VerificationCode.VALID,
          "license " + lic.id() + " is already installed" + (inForce ? " and in force" : ""),
          license,
          List.of(),
          inForce);
    }
    boolean becomesInForce = current.map(candidate::isNewerThan).orElse(true);
    String usageNote = "";
    if (becomesInForce) {
      boolean recorded = engine.usage == null;
      if (recorded) {
        engine.reloadUsage(); // the running product records it; this may be another process
      }
      Optional<License> before = current.map(InstalledLicense::license);
      Map<String, Long> usage = currentUsage();
      if (recorded && lowersALimitInUse(before, lic, usage)) {
        usageNote = recordedUsageNote(t);
      }
      List<LimitExcess> excesses = Limits.excesses(before, lic, usage);
      if (!excesses.isEmpty()) {
        return reject(
            t,
            VerificationCode.USAGE_EXCEEDS_LIMITS,
            "license "
                + lic.id()
                + " lowers limits below current usage: "
                + String.join("; ", excesses.stream().map(LimitExcess::toString).toList())
                + ". Reduce usage first, or ask your vendor for a license with higher limits"
                + usageNote,
            license,
            excesses);
      }
    }
    try {
      engine.files.write(candidate.hash(), text);
    } catch (UncheckedIOException e) {
      throw new ClientException(
          "cannot write the license into " + engine.files.dir() + ": " + e.getCause().getMessage(),
          e);
    }
    engine.history.add(candidate);
    engine.publish(t);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("license_id", lic.id());
    data.put("file", candidate.hash() + LicenseFiles.SUFFIX);
    data.put("tier", lic.tier());
    data.put("expires_at", lic.expiresAt().toString());
    data.put("in_force", becomesInForce);
    engine.record(new AuditEvent(t.effective(), "installed", data), UnaryOperator.identity());
    String message =
        becomesInForce
            ? "installed license "
                + lic.id()
                + " for "
                + lic.customer()
                + ", valid until "
                + lic.expiresAt()
            : "installed license "
                + lic.id()
                + ", but license "
                + current.orElseThrow().license().id()
                + " expires later and stays in force";
    return new InstallResult(
        VerificationCode.VALID, message + usageNote, license, List.of(), becomesInForce);
  }

  /**
   * Says where the usage an install checked comes from when the product is not asked directly (the
   * CLI): the product's record and its time, and whether it is too old to trust ({@link
   * UsageStore#TRUSTED_FOR}).
   */
  private String recordedUsageNote(GuardedTime t) {
    UsageRecord record = engine.usageRecord;
    if (!record.hasUsage()) {
      return "";
    }
    Instant at = record.recordedAtInstant();
    if (t.effective().isAfter(at.plus(UsageStore.TRUSTED_FOR))) {
      return " (usage as the product recorded it at "
          + at
          + ", more than "
          + UsageStore.TRUSTED_FOR.toHours()
          + " hours ago, too old to trust: start the product so that it records its current usage,"
          + " then install again)";
    }
    return " (usage as the product recorded it at " + at + ")";
  }

  /** Whether the new license lowers a limit that has usage. */
  private static boolean lowersALimitInUse(
      Optional<License> before, License next, Map<String, Long> usage) {
    return before.isPresent()
        && usage.keySet().stream()
            .anyMatch(name -> Limits.of(next, name) < Limits.of(before.get(), name));
  }

  private InstallResult reject(
      GuardedTime t,
      VerificationCode code,
      String message,
      Optional<License> license,
      List<LimitExcess> excesses) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("code", code.name());
    license.ifPresent(l -> data.put("license_id", l.id()));
    // Bounded: a reader message may quote the rejected input.
    data.put(
        "message",
        message.length() > MAX_AUDITED_MESSAGE
            ? message.substring(0, MAX_AUDITED_MESSAGE) + "…"
            : message);
    engine.record(
        new AuditEvent(t.effective(), "install_rejected", data), UnaryOperator.identity());
    return new InstallResult(code, message, license, excesses, false);
  }

  /** The probe's usage, or without a probe what the product last reported. */
  Map<String, Long> currentUsage() {
    if (engine.usage == null) {
      return engine.usageRecord.current();
    }
    try {
      Map<String, Long> u = engine.usage.get();
      return u == null ? Map.of() : u;
    } catch (RuntimeException e) {
      throw new ClientException("the usage probe failed, so limits cannot be checked: " + e, e);
    }
  }
}
