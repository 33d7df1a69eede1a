package dev.keyturn.client;

import dev.keyturn.client.audit.AuditEntry;
import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.checkin.CheckInReply;
import dev.keyturn.client.checkin.CheckInRequest;
import dev.keyturn.client.checkin.CheckInSettings;
import dev.keyturn.client.checkin.CheckInTransport;
import dev.keyturn.client.guard.ClockGuard;
import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.AtomicFiles;
import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.client.store.PersistentState;
import dev.keyturn.client.store.StateStatus;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.ReadLimits;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import dev.keyturn.core.verify.VerificationCode;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The license runtime a product embeds: installs license files, says what the license in force
 * allows, and keeps that answer honest against clock turn-backs, crashes and outages.
 *
 * <h2>Which license is in force</h2>
 *
 * Every installed file is kept in the state directory. The license in force is the <b>newest valid
 * installed license</b>: among files whose signature verifies against the trusted keys and whose
 * instance domain is this product's, those whose {@code not_before} has passed; of these the one
 * with the latest {@code expires_at} (then the latest {@code issued_at}). An expired license stays
 * in force, in grace and then locked, until a newer one is installed; a license renewed early never
 * shows a banner for the old one.
 *
 * <h2>Hot path</h2>
 *
 * {@link #allows}, {@link #mode} and {@link #limit} read one volatile field holding an immutable
 * snapshot: no I/O, no lock, no allocation, no clock read (even a clock read costs about as much as
 * the whole lookup). The snapshot is rebuilt on every install, dismissal and check-in, and at the
 * instant the standing next changes: a daemon thread ({@code keyturn-client}) wakes up then, and at
 * least once a minute so that a suspended machine or a wall clock set forward is caught up within a
 * minute. Build with {@code background(false)} to drive this yourself with {@link #refresh()}, as
 * tests on a {@link SettableClock} do.
 *
 * <h2>Time</h2>
 *
 * Licensing uses guarded time (see {@link ClockGuard}): the wall clock, but never behind the
 * high-water mark. The mark is persisted in the HMAC-signed state file at least every {@link
 * #HIGH_WATER_PERSIST_INTERVAL} and on every event. A clock behind the mark by more than the
 * tolerance raises {@link StandingFlag#CLOCK_ROLLBACK}, an audit entry and a banner sentence.
 *
 * <p>Thread-safe. Close it to stop the background thread.
 */
public final class LicenseManager implements AutoCloseable {
  /** What {@link #limit} returns for a limit the license does not set. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  public static final Duration DEFAULT_ROLLBACK_TOLERANCE = Duration.ofHours(1);
  public static final Duration MAX_ROLLBACK_TOLERANCE = Duration.ofDays(7);
  public static final Duration HIGH_WATER_PERSIST_INTERVAL = Duration.ofMinutes(10);
  public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(1);
  public static final Duration MIN_REFRESH_DELAY = Duration.ofMillis(100);
  public static final String INSTANCE_ID_FILE = "instance.id";

  private static final System.Logger LOG = System.getLogger(LicenseManager.class.getName());

  private final Path stateDir;
  private final Optional<String> instanceDomain;
  private final Supplier<Map<String, Long>> usage;
  private final ZoneId zone;
  private final boolean readOnly;
  private final Optional<CheckInSettings> checkInSettings;
  private final Optional<CheckInTransport> transport;
  private final LicenseVerifier verifier;
  private final StateStore store;
  private final AuditLog audit;
  private final LicenseFiles files;
  private final LicenseHistory history;
  private final Object lock = new Object();
  private final EnumSet<StandingFlag> sessionFlags = EnumSet.noneOf(StandingFlag.class);
  private final ScheduledExecutorService scheduler;

  private volatile Snapshot snapshot = Snapshot.NOTHING;
  private ClockGuard guard;
  private ScheduledFuture<?> pendingRefresh;
  private PersistentState state;
  private Instant persistedHighWater;
  private boolean rollbackReported;

  private LicenseManager(Builder b) {
    this.stateDir = b.stateDir;
    this.instanceDomain = b.instanceDomain;
    this.usage = b.usage;
    this.zone = b.zone;
    this.readOnly = b.readOnly;
    this.checkInSettings = b.checkIn;
    this.transport = b.checkIn.map(CheckInTransport::new);
    this.verifier = new LicenseVerifier(b.keys);
    this.store = new StateStore(stateDir);
    this.audit = new AuditLog(stateDir);
    this.files = new LicenseFiles(stateDir);
    this.history = new LicenseHistory(files, verifier, instanceDomain);
    if (!readOnly) {
      try {
        Files.createDirectories(stateDir);
        files.createDirectories();
      } catch (IOException e) {
        throw new ClientException("cannot create the state directory " + stateDir + ": " + e, e);
      }
    } else if (!Files.isDirectory(stateDir)) {
      throw new ClientException("no state directory at " + stateDir);
    }
    startUp(b);
    this.scheduler = b.background && !readOnly ? startBackground() : null;
    synchronized (lock) {
      scheduleRefresh();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- hot path

  /** Whether the license in force grants {@code feature} and the product is not locked. */
  public boolean allows(String feature) {
    return snapshot.features.contains(feature);
  }

  /** FULL, READ_ONLY (grace of a read-only policy) or LOCKED. */
  public Mode mode() {
    return snapshot.mode;
  }

  /**
   * A named limit of the license in force ({@code [license.limits]}; {@code seats} too, from the
   * license's seats when not named there). {@link #UNLIMITED} when the license does not set it (or
   * sets {@code seats = 0}); 0 for every name while no license is installed.
   */
  public long limit(String name) {
    Snapshot s = snapshot;
    Long value = s.limits.get(name);
    return value != null ? value : s.absentLimit;
  }

  // ---------------------------------------------------------------- standing

  /** The standing now: the lifecycle of the license in force at the guarded time, plus flags. */
  public ClientStanding standing() {
    synchronized (lock) {
      return locked(
          () -> {
            history.reloadIfChanged();
            return publish(now());
          });
    }
  }

  /**
   * Re-reads the license history (another process may have installed one), observes the clock and
   * rebuilds the snapshot. The background thread calls this; call it yourself when built with
   * {@code background(false)}.
   */
  public void refresh() {
    standing();
  }

  /**
   * Dismisses the banner being shown, by the rules of its stage: D-30 stays hidden until the next
   * stage, D-15 comes back after 24 hours, D-7 collapses into a pill, D-1 and later stay. Persisted
   * per (license, stage), so it holds across restarts.
   */
  public DismissResult dismiss() {
    requireWritable("dismiss a banner");
    synchronized (lock) {
      return locked(
          () -> {
            GuardedTime t = now();
            ClientStanding s = publish(t);
            BannerView b = s.banner();
            switch (b.dismissal()) {
              case NONE:
                return new DismissResult(DismissResult.Outcome.NOTHING_TO_DISMISS, b);
              case NOT_DISMISSIBLE:
                return new DismissResult(DismissResult.Outcome.NOT_DISMISSIBLE, b);
              default:
                break;
            }
            DismissResult.Outcome outcome =
                b.dismissal() == Dismissal.TO_PILL
                    ? DismissResult.Outcome.COLLAPSED_TO_PILL
                    : DismissResult.Outcome.HIDDEN;
            if (b.display() == BannerDisplay.SHOWN) {
              String licenseId = s.license().orElseThrow().id();
              record(null, st -> st.withDismissal(licenseId, b.stageId(), t.effective()));
              s = publish(t);
            }
            return new DismissResult(outcome, s.banner());
          });
    }
  }

  // ---------------------------------------------------------------- install

  /** Installs a license file's text. See {@link #install(String)}. */
  public InstallResult install(Path file) {
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

  /**
   * Verifies and installs a license: signature, instance, validity now, not revoked, and limits
   * against current usage (a license that lowers a limit below usage is refused with {@link
   * VerificationCode#USAGE_EXCEEDS_LIMITS}; one that keeps or raises every limit always installs).
   * Then the file is written atomically, the snapshot is swapped (a locked product unlocks at once)
   * and the install is audited. A rejected install changes nothing but the audit log.
   */
  public InstallResult install(String text) {
    Objects.requireNonNull(text, "text");
    requireWritable("install a license");
    synchronized (lock) {
      return locked(() -> doInstall(text));
    }
  }

  private InstallResult doInstall(String text) {
    history.reloadIfChanged();
    GuardedTime t = now();
    Verification v = verifier.verify(text, t.effective(), instanceDomain);
    Optional<License> license = v.license().map(SignedLicense::license);
    if (!v.isValid()) {
      return reject(t, v.code(), v.message(), license, List.of());
    }
    SignedLicense signed = v.license().orElseThrow();
    License lic = signed.license();
    Optional<String> revoked = state.revocationReason(lic.id());
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
    Optional<InstalledLicense> current = history.inForce(t.effective());
    if (history.contains(candidate.hash())) {
      boolean inForce = current.map(c -> c.hash().equals(candidate.hash())).orElse(false);
      return new InstallResult(
          VerificationCode.VALID,
          "license " + lic.id() + " is already installed" + (inForce ? " and in force" : ""),
          license,
          List.of(),
          inForce);
    }
    boolean becomesInForce = current.map(candidate::isNewerThan).orElse(true);
    if (becomesInForce) {
      List<LimitExcess> excesses =
          Limits.excesses(current.map(InstalledLicense::license), lic, currentUsage());
      if (!excesses.isEmpty()) {
        return reject(
            t,
            VerificationCode.USAGE_EXCEEDS_LIMITS,
            "license "
                + lic.id()
                + " lowers limits below current usage: "
                + String.join("; ", excesses.stream().map(LimitExcess::toString).toList())
                + ". Reduce usage first, or ask your vendor for a license with higher limits",
            license,
            excesses);
      }
    }
    try {
      files.write(candidate.hash(), text);
    } catch (UncheckedIOException e) {
      throw new ClientException(
          "cannot write the license into " + files.dir() + ": " + e.getCause().getMessage(), e);
    }
    history.add(candidate);
    publish(t);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("license_id", lic.id());
    data.put("file", candidate.hash() + LicenseFiles.SUFFIX);
    data.put("tier", lic.tier());
    data.put("expires_at", lic.expiresAt().toString());
    data.put("in_force", becomesInForce);
    record(new Event(t.effective(), "installed", data), UnaryOperator.identity());
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
    return new InstallResult(VerificationCode.VALID, message, license, List.of(), becomesInForce);
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
    data.put("message", message.length() > 500 ? message.substring(0, 500) + "…" : message);
    record(new Event(t.effective(), "install_rejected", data), UnaryOperator.identity());
    return new InstallResult(code, message, license, excesses, false);
  }

  private Map<String, Long> currentUsage() {
    try {
      Map<String, Long> u = usage.get();
      return u == null ? Map.of() : u;
    } catch (RuntimeException e) {
      throw new ClientException("the usage probe failed, so limits cannot be checked: " + e, e);
    }
  }

  // ---------------------------------------------------------------- check-in

  /**
   * Checks in with the server now (see {@link CheckInTransport} for the wire contract). A newer
   * license in the answer installs itself through {@link #install(String)}; a revocation locks; a
   * network failure or an answer outside the contract changes nothing. Blocks for at most the
   * configured timeout, holding no lock meanwhile.
   */
  public CheckInResult checkIn() {
    if (checkInSettings.isEmpty()) {
      return new CheckInResult(
          CheckInResult.Outcome.NOT_CONFIGURED,
          "no check-in server is configured",
          Optional.empty(),
          Duration.ZERO);
    }
    requireWritable("check in");
    CheckInSettings settings = checkInSettings.get();
    CheckInRequest request;
    InstalledLicense license;
    synchronized (lock) {
      Optional<InstalledLicense> inForce =
          locked(
              () -> {
                history.reloadIfChanged();
                return history.inForce(now().effective());
              });
      if (inForce.isEmpty()) {
        return new CheckInResult(
            CheckInResult.Outcome.NO_LICENSE,
            "no license is installed, so there is nothing to check in with",
            Optional.empty(),
            settings.interval());
      }
      license = inForce.get();
      Map<String, Long> used;
      try {
        used = currentUsage();
      } catch (ClientException e) {
        used = Map.of(); // usage is informational here; the check-in still matters
      }
      request =
          new CheckInRequest(
              license.license().id(),
              instanceId(),
              instanceDomain.orElse(null),
              used,
              settings.clientVersion());
    }
    CheckInReply reply;
    try {
      reply = transport.orElseThrow().send(request, license.hash());
    } catch (IOException e) {
      return new CheckInResult(
          CheckInResult.Outcome.NETWORK_FAILURE,
          "the check-in server could not be reached (" + e + "); nothing changed",
          Optional.empty(),
          settings.retryAfterFailure());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CheckInResult(
          CheckInResult.Outcome.NETWORK_FAILURE,
          "check-in interrupted; nothing changed",
          Optional.empty(),
          settings.retryAfterFailure());
    }
    synchronized (lock) {
      return locked(() -> apply(reply, license, settings));
    }
  }

  private CheckInResult apply(
      CheckInReply reply, InstalledLicense license, CheckInSettings settings) {
    GuardedTime t = now();
    String id = license.license().id();
    Duration next = CheckInSettings.bounded(reply.checkInAfter().orElse(settings.interval()));
    switch (reply.kind()) {
      case UNEXPECTED:
        return new CheckInResult(
            CheckInResult.Outcome.SERVER_ERROR,
            "the check-in server answered outside the contract: "
                + reply.reason().orElse("status " + reply.status())
                + "; nothing changed",
            Optional.empty(),
            settings.retryAfterFailure());
      case UNKNOWN_LICENSE:
        record(
            new Event(t.effective(), "check_in_unknown_license", Map.of("license_id", id)),
            UnaryOperator.identity());
        return new CheckInResult(
            CheckInResult.Outcome.UNKNOWN_LICENSE,
            "the server does not know license " + id + "; nothing changed",
            Optional.empty(),
            next);
      case CONFLICT:
        if (!state.instanceConflict()) {
          record(
              new Event(t.effective(), "instance_conflict", Map.of("license_id", id)),
              st -> st.withServerFlags(st.paymentFailing(), true));
          publish(t);
        }
        return new CheckInResult(
            CheckInResult.Outcome.INSTANCE_CONFLICT,
            "the server says another instance holds license " + id,
            Optional.empty(),
            next);
      case REVOKED:
        {
          String reason = reply.reason().orElse("no reason given");
          if (state.revocationReason(id).isEmpty()) {
            record(
                new Event(t.effective(), "revoked", Map.of("license_id", id, "reason", reason)),
                st -> st.withRevoked(id, reason));
            publish(t);
          }
          int before = history.authentic().size();
          Optional<InstallResult> installed = reply.license().map(this::doInstall);
          boolean replaced =
              installed.map(InstallResult::inForce).orElse(false)
                  && history.authentic().size() > before;
          return new CheckInResult(
              replaced ? CheckInResult.Outcome.RENEWED : CheckInResult.Outcome.REVOKED,
              "the vendor revoked license "
                  + id
                  + " ("
                  + reason
                  + ")"
                  + (replaced
                      ? "; the license sent with it is installed"
                      : "; the product is locked"),
              installed,
              next);
        }
      case OK:
      default:
        break;
    }
    String payment =
        reply.paymentFailing()
            ? reply.standingMessage().orElse(Evaluator.DEFAULT_PAYMENT_TEXT)
            : null;
    if (!Objects.equals(payment, state.paymentFailing()) || state.instanceConflict()) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("license_id", id);
      data.put("payment_failing", payment != null);
      data.put("instance_conflict", false);
      record(
          new Event(t.effective(), "server_flags", data), st -> st.withServerFlags(payment, false));
      publish(t);
    }
    if (reply.license().isEmpty()) {
      return new CheckInResult(
          CheckInResult.Outcome.OK, "checked in license " + id, Optional.empty(), next);
    }
    int before = history.authentic().size();
    InstallResult installed = doInstall(reply.license().get());
    boolean newer = installed.inForce() && history.authentic().size() > before;
    CheckInResult.Outcome outcome =
        !installed.installed()
            ? CheckInResult.Outcome.LICENSE_REJECTED
            : newer ? CheckInResult.Outcome.RENEWED : CheckInResult.Outcome.OK;
    return new CheckInResult(outcome, installed.message(), Optional.of(installed), next);
  }

  private String instanceId() {
    Path file = stateDir.resolve(INSTANCE_ID_FILE);
    return locked(
        () -> {
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
        });
  }

  // ---------------------------------------------------------------- audit

  /** The audit log of this manager's state directory; {@link AuditLog#verify(Path)} checks it. */
  public AuditLog auditLog() {
    return audit;
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- internals

  /** Loads or rebuilds the state, and builds the guard from the best evidence of time. */
  private void startUp(Builder b) {
    locked(
        () -> {
          history.reloadIfChanged();
          AuditLog.Tail tail = audit.tail();
          StateStore.Loaded loaded = store.load();
          Optional<Instant> evidence = latest(tail.lastAt(), history.latestIssuedAt());
          Instant floor;
          Optional<Event> finding;
          if (loaded.status() == StateStatus.OK) {
            state = loaded.state().orElseThrow();
            floor = latest(Optional.of(state.highWaterInstant()), evidence).orElseThrow();
            finding = auditLogMismatch(tail);
          } else {
            floor = evidence.orElse(Instant.EPOCH);
            state = PersistentState.initial(floor, tail.hash(), tail.lines());
            boolean firstUse =
                loaded.status() == StateStatus.FRESH
                    && history.authentic().isEmpty()
                    && tail.lines() == 0;
            finding = firstUse ? Optional.empty() : Optional.of(rebuildFromEvidence(loaded, floor));
          }
          guard = new ClockGuard(b.clock, b.ticker, b.tolerance, floor);
          GuardedTime t = guard.observe();
          state = state.withHighWater(t.effective());
          if (!readOnly) {
            writeInitialState(t);
            finding.ifPresent(
                f ->
                    record(new Event(t.effective(), f.name(), f.data()), UnaryOperator.identity()));
            if (t.rollback()) {
              rollbackReported = true;
              record(rollbackEvent(t), UnaryOperator.identity());
            }
          }
          history
              .ignored()
              .forEach(
                  (file, why) ->
                      LOG.log(
                          System.Logger.Level.WARNING,
                          "ignoring installed license file {0}: {1}",
                          file,
                          why));
          publish(t);
          return null;
        });
  }

  /**
   * The log must still hold, unchanged, the last line the state file recorded; when it does not,
   * lines were cut or edited while the product was stopped. Reported once: the state then records
   * the log as it is.
   */
  private Optional<Event> auditLogMismatch(AuditLog.Tail tail) {
    boolean intact =
        tail.lines() >= state.auditLines()
            && (state.auditLines() == 0
                || state.auditHead().equals(audit.hashOfLine(state.auditLines()).orElse("")));
    if (intact) {
      return Optional.empty();
    }
    AuditLog.Tail recorded =
        new AuditLog.Tail(state.auditLines(), state.auditHead(), Optional.empty());
    return Optional.of(
        new Event(
            null,
            "audit_log_broken",
            Map.of("detail", audit.verify(Optional.of(recorded)).message())));
  }

  /**
   * The state file is gone or cannot be trusted, yet licenses or an audit log exist: time comes
   * from the audit log and the licenses (the caller's {@code floor}), revocations from the audit
   * log. Dismissals are lost, which only shows banners again.
   */
  private Event rebuildFromEvidence(StateStore.Loaded loaded, Instant floor) {
    for (AuditEntry e : audit.entries()) {
      if (e.event().equals("revoked") && e.data().get("license_id") instanceof String id) {
        state = state.withRevoked(id, String.valueOf(e.data().getOrDefault("reason", "")));
      }
    }
    sessionFlags.add(StandingFlag.STATE_RESET);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", loaded.status().name());
    data.put("detail", loaded.detail());
    data.put("high_water", floor.toString());
    return new Event(null, "state_reset", data);
  }

  private void writeInitialState(GuardedTime t) {
    try {
      state = store.write(state);
    } catch (UncheckedIOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot write the license state in " + stateDir + "; continuing from memory",
          e);
    }
    persistedHighWater = t.effective();
  }

  private GuardedTime now() {
    GuardedTime t = guard.observe();
    if (readOnly) {
      return t;
    }
    if (t.rollback() && !rollbackReported) {
      rollbackReported = true;
      record(rollbackEvent(t), UnaryOperator.identity());
    } else if (!t.rollback() && rollbackReported) {
      rollbackReported = false;
      record(
          new Event(t.effective(), "clock_restored", Map.of("clock", t.clock().toString())),
          UnaryOperator.identity());
    } else if (!t.effective().isBefore(persistedHighWater.plus(HIGH_WATER_PERSIST_INTERVAL))) {
      record(null, UnaryOperator.identity());
    }
    return t;
  }

  private static Event rollbackEvent(GuardedTime t) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("clock", t.clock().toString());
    data.put("high_water", t.effective().toString());
    data.put("behind_seconds", t.behind().toSeconds());
    return new Event(t.effective(), "clock_rollback", data);
  }

  private ClientStanding publish(GuardedTime t) {
    Instant at = t.effective();
    Optional<InstalledLicense> inForce = history.inForce(at);
    Optional<InstalledLicense> shown = inForce.isPresent() ? inForce : history.nextToStart(at);
    Optional<Instant> nextActivation = history.nextToStart(at).map(l -> l.license().notBefore());
    Evaluator.Evaluation e =
        Evaluator.evaluate(shown, nextActivation, t, state, sessionFlags, zone);
    snapshot = e.snapshot();
    auditStage(e.standing());
    scheduleRefresh();
    return e.standing();
  }

  /**
   * Each stage a license enters (EXPIRING at D-30, GRACE at expiry, LOCKED…) is audited once: an
   * administrator can see when the product locked, and the entries are evidence of time if the
   * state file is lost.
   */
  private void auditStage(ClientStanding s) {
    if (readOnly || s.license().isEmpty() || s.stageId().isEmpty()) {
      return;
    }
    String key = s.license().get().id() + "/" + s.stageId();
    if (key.equals(state.lastStage())) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("license_id", s.license().get().id());
    data.put("stage", s.stageId());
    data.put("phase", s.phase().name());
    data.put("mode", s.mode().name());
    record(new Event(s.evaluatedAt(), "stage_entered", data), st -> st.withLastStage(key));
  }

  /**
   * Serializes with other threads and processes; a read-only manager writes no lock file either.
   */
  private <T> T locked(Supplier<T> action) {
    return readOnly ? action.get() : store.locked(action);
  }

  /** An audit entry (optional) and a state change, written together under the store lock. */
  private void record(Event event, UnaryOperator<PersistentState> change) {
    if (readOnly) {
      state = change.apply(state);
      return;
    }
    try {
      locked(
          () -> {
            PersistentState base = currentBase();
            if (event != null) {
              AuditLog.Tail tail = audit.append(event.at(), event.name(), event.data());
              base = base.withAudit(tail.lines(), tail.hash());
            }
            state = store.write(change.apply(base.withHighWater(guard.highWater())));
            persistedHighWater = state.highWaterInstant();
            return null;
          });
    } catch (UncheckedIOException e) {
      // A full or read-only disk must not take the product down: keep going on what is in memory.
      state = change.apply(state.withHighWater(guard.highWater()));
      persistedHighWater = guard.highWater();
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot write the license state in " + stateDir + "; continuing from memory",
          e);
    }
  }

  /**
   * The state to change: the file as it is now (another process may have written it), or, if it was
   * deleted or replaced while we ran, our own copy, and that is audited.
   */
  private PersistentState currentBase() {
    StateStore.Loaded current = store.load();
    if (current.status() == StateStatus.OK) {
      return current.state().orElseThrow();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", current.status().name());
    data.put("detail", current.detail());
    AuditLog.Tail tail = audit.append(guard.highWater(), "state_reset", data);
    sessionFlags.add(StandingFlag.STATE_RESET);
    return state.withAudit(tail.lines(), tail.hash());
  }

  private void requireWritable(String what) {
    if (readOnly) {
      throw new ClientException("this LicenseManager is read-only; it cannot " + what);
    }
  }

  private ScheduledExecutorService startBackground() {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "keyturn-client");
              thread.setDaemon(true);
              return thread;
            });
    if (checkInSettings.isPresent()) {
      s.execute(() -> checkInTask(s));
    }
    return s;
  }

  /**
   * One pending refresh at a time, moved whenever a new snapshot is published: an install or a
   * dismissal may bring the next change closer than the refresh already planned.
   */
  private void scheduleRefresh() {
    if (scheduler == null) {
      return;
    }
    if (pendingRefresh != null) {
      pendingRefresh.cancel(false);
    }
    try {
      pendingRefresh =
          scheduler.schedule(this::refreshTask, nextRefreshDelay().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      pendingRefresh = null; // closed
    }
  }

  private void refreshTask() {
    try {
      refresh(); // publishes, which plans the next refresh
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "license refresh failed; retrying in a minute", e);
      synchronized (lock) {
        scheduleRefresh();
      }
    }
  }

  private void checkInTask(ScheduledExecutorService s) {
    Duration next = checkInSettings.orElseThrow().retryAfterFailure();
    try {
      next = checkIn().nextCheckIn();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "check-in failed", e);
    }
    try {
      s.schedule(() -> checkInTask(s), next.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /**
   * Until the snapshot's next change, but at most {@link #REFRESH_INTERVAL} and at least {@link
   * #MIN_REFRESH_DELAY}, so that a clock that stands still (a paused VM, a settable clock in a
   * demo) cannot make the thread spin.
   */
  Duration nextRefreshDelay() {
    Instant until = snapshot.validUntil;
    if (until == null) {
      return REFRESH_INTERVAL;
    }
    Duration d = Duration.between(guard.highWater(), until);
    return d.compareTo(MIN_REFRESH_DELAY) < 0
        ? MIN_REFRESH_DELAY
        : d.compareTo(REFRESH_INTERVAL) > 0 ? REFRESH_INTERVAL : d;
  }

  private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
    return Stream.of(a, b).flatMap(Optional::stream).max(Instant::compareTo);
  }

  private record Event(Instant at, String name, Map<String, ?> data) {}

  /** Validates on {@link #build()}; defaults are the public constants of {@link LicenseManager}. */
  public static final class Builder {
    private Path stateDir;
    private KeyRing keys;
    private Optional<String> instanceDomain = Optional.empty();
    private Supplier<Map<String, Long>> usage = Map::of;
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker;
    private Duration tolerance = DEFAULT_ROLLBACK_TOLERANCE;
    private ZoneId zone = ZoneId.systemDefault();
    private Optional<CheckInSettings> checkIn = Optional.empty();
    private boolean background = true;
    private boolean readOnly;

    private Builder() {}

    /** Where licenses, state, audit log and secret live; created if missing. Required. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
      return this;
    }

    /** The vendor's public keys, by key id. Required, not empty. */
    public Builder trustedKeys(KeyRing keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /** This installation's domain; licenses bound to another are refused. Optional. */
    public Builder instanceDomain(String domain) {
      try {
        this.instanceDomain = Optional.of(InstanceDomain.normalize(domain));
      } catch (IllegalArgumentException e) {
        throw new ClientException("instanceDomain: " + e.getMessage(), e);
      }
      return this;
    }

    /**
     * Current usage per limit name (e.g. {@code users}, {@code seats}), asked on install to refuse
     * a downgrade that would not fit, and sent on check-in. Defaults to none.
     */
    public Builder usage(Supplier<Map<String, Long>> usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** Defaults to {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The monotonic ticker in nanoseconds; defaults to {@link SettableClock#nanoTime()} for a
     * settable clock, else {@link System#nanoTime()}.
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** How far behind the high-water mark the clock may be before it counts as a rollback. */
    public Builder rollbackTolerance(Duration tolerance) {
      this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
      return this;
    }

    /** The zone banner texts write dates in. Defaults to the system's. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /** Enables online check-in. Leave out for air-gapped installs. */
    public Builder checkIn(CheckInSettings settings) {
      this.checkIn = Optional.of(Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /**
     * Whether a daemon thread refreshes the snapshot and checks in on schedule (default true).
     * Without it, call {@link #refresh()} and {@link #checkIn()} yourself.
     */
    public Builder background(boolean background) {
      this.background = background;
      return this;
    }

    /**
     * Reads the state directory without writing anything (no state, audit or secret file): for
     * tools such as {@code keyturn status}. Install, dismiss and check-in then throw.
     */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    public LicenseManager build() {
      if (stateDir == null) {
        throw new ClientException(
            "stateDir is required: where the client keeps its licenses and state");
      }
      if (keys == null || keys.isEmpty()) {
        throw new ClientException("trustedKeys is required and must hold at least one public key");
      }
      if (tolerance.isNegative() || tolerance.compareTo(MAX_ROLLBACK_TOLERANCE) > 0) {
        throw new ClientException(
            "rollbackTolerance must be between 0 and "
                + MAX_ROLLBACK_TOLERANCE
                + " (MAX_ROLLBACK_TOLERANCE), was "
                + tolerance);
      }
      if (ticker == null) {
        ticker = clock instanceof SettableClock settable ? settable::nanoTime : System::nanoTime;
      }
      return new LicenseManager(this);
    }
  }
}
