package dev.keyturn.client;

import dev.keyturn.client.checkin.CheckInReply;
import dev.keyturn.client.checkin.CheckInRequest;
import dev.keyturn.client.checkin.CheckInSettings;
import dev.keyturn.client.checkin.CheckInTransport;
import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One check-in: ask under the lock, talk to the server without it, apply the answer under it again.
 * What each answer does is in {@link CheckInTransport}'s contract and the README.
 */
final class CheckInFlow {
  private final Engine engine;
  private final Installer installer;
  private final CheckInSettings settings;
  private final CheckInTransport transport;

  CheckInFlow(Engine engine, Installer installer, CheckInSettings settings) {
    this.engine = engine;
    this.installer = installer;
    this.settings = settings;
    this.transport = new CheckInTransport(settings);
  }

  CheckInSettings settings() {
    return settings;
  }

  CheckInResult checkIn() {
    engine.requireWritable("check in");
    record Prepared(InstalledLicense license, CheckInRequest request) {}
    Optional<Prepared> prepared =
        engine.locked(
            () -> {
              engine.history.reloadIfChanged();
              return engine
                  .history
                  .inForce(engine.now().effective())
                  .map(l -> new Prepared(l, request(l)));
            });
    if (prepared.isEmpty()) {
      return new CheckInResult(
          CheckInResult.Outcome.NO_LICENSE,
          "no license is installed, so there is nothing to check in with",
          Optional.empty(),
          settings.interval());
    }
    CheckInReply reply;
    try {
      reply = transport.send(prepared.get().request(), prepared.get().license().hash());
    } catch (IOException e) {
      return networkFailure(
          "the check-in server could not be reached (" + e + "); nothing changed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return networkFailure("check-in interrupted; nothing changed");
    }
    return engine.locked(() -> apply(reply, prepared.get().license()));
  }

  private CheckInRequest request(InstalledLicense license) {
    Map<String, Long> used;
    try {
      used = installer.currentUsage();
    } catch (ClientException e) {
      used = Map.of(); // usage is informational here; the check-in still matters
    }
    return new CheckInRequest(
        license.license().id(),
        installationId(engine, Optional.of(settings)),
        engine.instanceDomain.orElse(null),
        used,
        settings.clientVersion(),
        settings.node().orElse(null));
  }

  private CheckInResult networkFailure(String message) {
    return new CheckInResult(
        CheckInResult.Outcome.NETWORK_FAILURE,
        message,
        Optional.empty(),
        settings.retryAfterFailure());
  }

  private CheckInResult apply(CheckInReply reply, InstalledLicense license) {
    GuardedTime t = engine.now();
    String id = license.license().id();
    Duration next = CheckInSettings.bounded(reply.checkInAfter().orElse(settings.interval()));
    return switch (reply.kind()) {
      case UNEXPECTED ->
          new CheckInResult(
              CheckInResult.Outcome.SERVER_ERROR,
              "the check-in server answered outside the contract: "
                  + reply.reason().orElse("status " + reply.status())
                  + "; nothing changed",
              Optional.empty(),
              settings.retryAfterFailure());
      case UNKNOWN_LICENSE -> {
        engine.record(
            new AuditEvent(t.effective(), "check_in_unknown_license", Map.of("license_id", id)),
            UnaryOperator.identity());
        yield new CheckInResult(
            CheckInResult.Outcome.UNKNOWN_LICENSE,
            "the server does not know license " + id + "; nothing changed",
            Optional.empty(),
            next);
      }
      case CONFLICT -> {
        if (!engine.state.instanceConflict()) {
          engine.record(
              new AuditEvent(t.effective(), "instance_conflict", Map.of("license_id", id)),
              st -> st.withServerFlags(st.paymentFailing(), true));
          engine.publish(t);
        }
        yield new CheckInResult(
            CheckInResult.Outcome.INSTANCE_CONFLICT,
            "the server says another instance holds license " + id,
            Optional.empty(),
            next);
      }
      case REVOKED -> revoked(reply, id, t, next);
      case OK -> ok(reply, license, t, next);
    };
  }

  private CheckInResult revoked(CheckInReply reply, String id, GuardedTime t, Duration next) {
    String reason = reply.reason().orElse("no reason given");
    if (engine.state.revocationReason(id).isEmpty()) {
      engine.record(
          new AuditEvent(t.effective(), "revoked", Map.of("license_id", id, "reason", reason)),
          st -> st.withRevoked(id, reason));
      engine.publish(t);
    }
    int before = engine.history.authentic().size();
    Optional<InstallResult> installed = reply.license().map(installer::installLocked);
    boolean replaced =
        installed.map(InstallResult::inForce).orElse(false)
            && engine.history.authentic().size() > before;
    return new CheckInResult(
        replaced ? CheckInResult.Outcome.RENEWED : CheckInResult.Outcome.REVOKED,
        "the vendor revoked license "
            + id
            + " ("
            + reason
            + ")"
            + (replaced ? "; the license sent with it is installed" : "; the product is locked"),
        installed,
        next);
  }

  private CheckInResult ok(
      CheckInReply reply, InstalledLicense license, GuardedTime t, Duration next) {
    String id = license.license().id();
    String payment =
        reply.paymentFailing()
            ? reply.standingMessage().orElse(Evaluator.DEFAULT_PAYMENT_TEXT)
            : null;
    if (!Objects.equals(payment, engine.state.paymentFailing())
        || engine.state.instanceConflict()) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("license_id", id);
      data.put("payment_failing", payment != null);
      data.put("instance_conflict", false);
      engine.record(
          new AuditEvent(t.effective(), "server_flags", data),
          st -> st.withServerFlags(payment, false));
      engine.publish(t);
    }
    if (reply.license().isEmpty()) {
      return new CheckInResult(
          CheckInResult.Outcome.OK, "checked in license " + id, Optional.empty(), next);
    }
    int before = engine.history.authentic().size();
    InstallResult installed = installer.installLocked(reply.license().get());
    boolean newer = installed.inForce() && engine.history.authentic().size() > before;
    CheckInResult.Outcome outcome =
        !installed.installed()
            ? CheckInResult.Outcome.LICENSE_REJECTED
            : newer ? CheckInResult.Outcome.RENEWED : CheckInResult.Outcome.OK;
    return new CheckInResult(outcome, installed.message(), Optional.of(installed), next);
  }

  /**
   * The installation this product reports as, in check-ins and usage reports alike: the configured
   * one of a multi-node product, else this state directory's own.
   */
  static String installationId(Engine engine, Optional<CheckInSettings> settings) {
    return settings
        .flatMap(CheckInSettings::installationId)
        .orElseGet(() -> instanceId(engine.stateDir));
  }

  /**
   * A random id made once per state directory, kept in {@value LicenseManager#INSTANCE_ID_FILE}; a
   * multi-node product configures its installation id instead ({@link
   * CheckInSettings#installationId()}).
   */
  static String instanceId(Path stateDir) {
    Path file = stateDir.resolve(LicenseManager.INSTANCE_ID_FILE);
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (id.matches("[A-Za-z0-9._-]{8,64}")) {
          return id;
        }
      }
      String id = "ki_" + UUID.randomUUID().toString().replace("-", "");
      AtomicFiles.write(file, id.getBytes(StandardCharsets.UTF_8));
      return id;
    } catch (IOException e) {
      throw new ClientException("cannot read or write " + file + ": " + e.getMessage(), e);
    }
  }
}
