package dev.keyturn.server.identity;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.identity.internal.TotpSecrets;
import dev.keyturn.server.identity.internal.TotpStore;
import dev.keyturn.server.security.ExternalStaff;
import dev.keyturn.server.security.SecondFactorPolicy;
import dev.keyturn.server.security.SignInAttempts;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.ValidationException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * TOTP second factors for local accounts (RFC 6238 through {@link Totp#AUTHENTICATOR}): enrolment
 * with a typed confirmation, ten single-use recovery codes, verification that forgives one step of
 * clock drift either way and refuses a code used before, a reset by another admin, and the admin's
 * policy that makes it compulsory. Every step is in the audit log with the address.
 */
@Component
public class TwoFactor implements SecondFactorPolicy {
  /** Steps either side of now that still count: a phone 30 s off still signs in. */
  public static final int WINDOW = 1;

  private final TotpStore store;
  private final TotpSecrets secrets;
  private final SignInAttempts attempts;
  private final EventLog events;
  private final Clock clock;
  private final ExternalStaff staff;

  TwoFactor(
      ExternalStaff staff,
      TotpStore store,
      TotpSecrets secrets,
      SignInAttempts attempts,
      EventLog events,
      Clock clock) {
    this.staff = staff;
    this.store = store;
    this.secrets = secrets;
    this.attempts = attempts;
    this.events = events;
    this.clock = clock;
  }

  /** An enrolment under way: the secret lives in the enrolling session until it is confirmed. */
  public record Enrolment(String username, String secret, String otpauthUri, String qrCode)
      implements java.io.Serializable {
    /** The secret in groups of four, for typing into an app by hand. */
    public String secretForReading() {
      return secret.replaceAll("(.{4})(?!$)", "$1 ");
    }
  }

  /** How the second factor was proven. */
  public enum Proof {
    TOTP,
    RECOVERY_CODE
  }

  public boolean enrolled(String username) {
    return store.find(username).isPresent();
  }

  public Set<String> enrolledUsernames() {
    return store.enrolledUsernames();
  }

  public long recoveryCodesLeft(String username) {
    return store.recoveryCodesLeft(username);
  }

  public boolean requiredForAll() {
    return store.totpRequired();
  }

  /** A local account needs a second factor when it has one, or when the policy says all do. */
  @Override
  public boolean required(String username) {
    return enrolled(username) || requiredForAll();
  }

  /**
   * A new secret for the user's app. Only local accounts enrol: the identity provider's users prove
   * a second factor there.
   */
  public Enrolment begin(String username) {
    if (staff.signsInWithProvider(username)) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT,
          "your account signs in through the identity provider; its own second factor applies");
    }
    String secret = secrets.newSecret();
    String label =
        URLEncoder.encode("Keyturn:" + username, StandardCharsets.UTF_8).replace("+", "%20");
    String uri =
        "otpauth://totp/"
            + label
            + "?secret="
            + secret
            + "&issuer=Keyturn&algorithm=SHA1&digits=6&period=30";
    return new Enrolment(username, secret, uri, secrets.qrCode(uri));
  }

  /**
   * Stores the enrolment once the app's code proves the secret arrived, replacing any earlier one.
   *
   * @return the ten recovery codes, shown once: only their hashes are kept
   */
  @Transactional
  public List<String> confirm(Enrolment enrolment, String code, String address) {
    String username = enrolment.username();
    byte[] secret = TotpSecrets.decode(enrolment.secret());
    Instant now = clock.instant();
    long step = Totp.AUTHENTICATOR.matchingStep(secret, digits(code), now, WINDOW);
    if (step < 0) {
      throw ValidationException.of(
          "code",
          "that is not the code your app shows now; check the phone's clock and type the"
              + " current 6-digit code");
    }
    List<String> codes = secrets.newRecoveryCodes();
    store.enrol(
        username,
        secrets.seal(secret, username),
        now,
        codes.stream().map(secrets::hashRecoveryCode).toList());
    // The code that confirmed the enrolment cannot also sign in.
    store.takeStep(username, step);
    attempts.succeeded(username);
    events.record("auth.totp_enrolled", username, null, null, details(username, address));
    return codes;
  }

  /**
   * Checks a second factor: a current TOTP code or an unused recovery code.
   *
   * @throws ValidationException for a wrong or reused code (counted like a wrong password)
   * @throws dev.keyturn.server.security.LoginThrottledException while a delay runs
   */
  public Proof verify(String username, String code, String address) {
    try {
      attempts.check(username, address);
    } catch (RuntimeException e) {
      failed(username, address, "throttled");
      throw e;
    }
    TotpStore.Enrolment enrolment =
        store
            .find(username)
            .orElseThrow(
                () ->
                    new KeyturnServerException(
                        ErrorCode.CONFLICT, "user " + username + " has no second factor"));
    String typed = code == null ? "" : code.strip();
    String digits = digits(typed);
    if (digits.length() == Totp.AUTHENTICATOR.digits()) {
      byte[] secret = secrets.open(enrolment.secretSealed(), username);
      long step = Totp.AUTHENTICATOR.matchingStep(secret, digits, clock.instant(), WINDOW);
      if (step >= 0) {
        if (step <= enrolment.lastStep() || !store.takeStep(username, step)) {
          attempts.failed(username, address);
          failed(username, address, "reused_code");
          throw ValidationException.of(
              "code", "that code was used already; wait for the next one your app shows");
        }
        attempts.succeeded(username);
        return Proof.TOTP;
      }
    } else if (store.useRecoveryCode(username, secrets.hashRecoveryCode(typed), clock.instant())) {
      attempts.succeeded(username);
      Map<String, Object> metadata = details(username, address);
      metadata.put("recovery_codes_left", store.recoveryCodesLeft(username));
      events.record("auth.recovery_code_used", username, null, null, metadata);
      return Proof.RECOVERY_CODE;
    }
    attempts.failed(username, address);
    failed(username, address, "wrong_code");
    throw ValidationException.of("code", "that code is not right; type the current one");
  }

  /** Another admin's reset: the user enrols again at their next sign-in (or when they choose). */
  @Transactional
  public void reset(String username, String admin, String adminUsername, String address) {
    if (username.equals(adminUsername)) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "you cannot reset your own second factor; ask another admin");
    }
    if (!store.delete(username)) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "user " + username + " has no second factor to reset");
    }
    events.record("auth.totp_reset", admin, null, null, details(username, address));
  }

  @Transactional
  public void requireForAll(boolean required, String admin, String address) {
    store.setTotpRequired(required, clock.instant(), admin);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("totp_required", required);
    metadata.put("address", address);
    events.record("auth.sign_in_policy_changed", admin, null, null, metadata);
  }

  private void failed(String username, String address, String reason) {
    Map<String, Object> metadata = details(username, address);
    metadata.put("method", "second_factor");
    metadata.put("reason", reason);
    events.record("auth.sign_in_failed", username, null, null, metadata);
  }

  private static String digits(String code) {
    return code == null ? "" : code.replaceAll("[\\s-]", "");
  }

  private static Map<String, Object> details(String username, String address) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("username", username);
    metadata.put("address", address);
    return metadata;
  }
}
