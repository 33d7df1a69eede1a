package dev.keyturn.client;

import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.checkin.CheckInSettings;
import dev.keyturn.client.checkin.CheckInTransport;
import dev.keyturn.client.guard.ClockGuard;
import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.InstallationKeys;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Usage;
import dev.keyturn.core.lifecycle.UsageDecision;
import dev.keyturn.core.lifecycle.UsageStanding;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.verify.LicenseVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  public static final String INSTANCE_ID_FILE = "instance.id";

  private static final System.Logger LOG = System.getLogger(LicenseManager.class.getName());

  private final Engine engine;
  private final Installer installer;
  private final Optional<CheckInFlow> checkIns;
  private final Optional<CheckInSettings> checkInSettings;
  private final ScheduledExecutorService scheduler;
  private final KeyPair installationKey; // null when read-only
  private ScheduledFuture<?> pendingRefresh; // guarded by engine.lock

  private LicenseManager(Builder b) {
    this.engine =
        new Engine(
            b.stateDir, new LicenseVerifier(b.keys), b.instanceDomain, b.usage, b.zone, b.readOnly);
    this.installer = new Installer(engine);
    this.checkIns = b.checkIn.map(settings -> new CheckInFlow(engine, installer, settings));
    this.checkInSettings = b.checkIn;
    if (!b.readOnly) {
      try {
        Files.createDirectories(b.stateDir);
        engine.files.createDirectories();
      } catch (IOException e) {
        throw new ClientException("cannot create the state directory " + b.stateDir + ": " + e, e);
      }
    } else if (!Files.isDirectory(b.stateDir)) {
      throw new ClientException("no state directory at " + b.stateDir);
    }
    try {
      this.installationKey = b.readOnly ? null : InstallationKeys.loadOrCreate(b.stateDir);
    } catch (UncheckedIOException e) {
      throw new ClientException(e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
    StartUp.run(engine, b.clock, b.ticker, b.tolerance);
    engine.locked(
        () -> {
          engine.reloadUsage();
          return engine.publish(engine.now());
        });
    this.scheduler = b.background && !b.readOnly ? startBackground() : null;
    if (scheduler != null) {
      engine.afterPublish = this::scheduleRefresh;
      engine.locked(
          () -> {
            scheduleRefresh();
            return null;
          });
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- hot path

  /** Whether the license in force grants {@code feature} and the product is not locked. */
  public boolean allows(String feature) {
    return engine.snapshot.features.contains(feature);
  }

  /** FULL, READ_ONLY (grace of a read-only policy) or LOCKED. */
  public Mode mode() {
    return engine.snapshot.mode;
  }

  /**
   * A named limit of the license in force ({@code [license.limits]}; {@code seats} too, from the
   * license's seats when not named there). {@link #UNLIMITED} when the license does not set it (or
   * sets {@code seats = 0}); 0 for every name while no license is installed.
   */
  public long limit(String name) {
    Snapshot s = engine.snapshot;
    Long value = s.limits.get(name);
    return value != null ? value : s.absentLimit;
  }

  // ---------------------------------------------------------------- standing

  /** The standing now: the lifecycle of the license in force at the guarded time, plus flags. */
  public ClientStanding standing() {
    return engine.locked(
        () -> {
          engine.history.reloadIfChanged();
          return engine.publish(engine.now());
        });
  }

  /**
   * Re-reads the license history (another process may have installed one), observes the clock,
   * records the usage probe's answer (when there is a probe) and rebuilds the snapshot. The
   * background thread calls this; call it yourself when built with {@code background(false)}.
   */
  public void refresh() {
    if (engine.usage != null && !engine.readOnly) {
      try {
        reportUsage(installer.currentUsage()); // what keyturn install checks a downgrade against
      } catch (ClientException e) {
        // A failing probe must not stop licensing from moving on; the next refresh tries again.
        LOG.log(System.Logger.Level.WARNING, "the usage probe failed; usage not recorded", e);
      }
    }
    standing();
  }

  /**
   * Dismisses the banner being shown, by the rules of its stage: D-30 stays hidden until the next
   * stage, D-15 comes back after 24 hours, D-7 collapses into a pill, D-1 and later stay. Persisted
   * per (license, stage), so it holds across restarts.
   */
  public DismissResult dismiss() {
    engine.requireWritable("dismiss a banner");
    return engine.locked(
        () -> {
          GuardedTime t = engine.now();
          ClientStanding s = engine.publish(t);
          BannerView b = s.banner();
          if (b.dismissal() == Dismissal.NONE) {
            return new DismissResult(DismissResult.Outcome.NOTHING_TO_DISMISS, b);
          }
          if (b.dismissal() == Dismissal.NOT_DISMISSIBLE) {
            return new DismissResult(DismissResult.Outcome.NOT_DISMISSIBLE, b);
          }
          if (b.display() == BannerDisplay.SHOWN) {
            String licenseId = s.license().orElseThrow().id();
            engine.record(null, st -> st.withDismissal(licenseId, b.stageId(), t.effective()));
            s = engine.publish(t);
          }
          DismissResult.Outcome outcome =
              b.dismissal() == Dismissal.TO_PILL
                  ? DismissResult.Outcome.COLLAPSED_TO_PILL
                  : DismissResult.Outcome.HIDDEN;
          return new DismissResult(outcome, s.banner());
        });
  }

  // ---------------------------------------------------------------- install

  /** Installs a license file. See {@link #install(String)}. */
  public InstallResult install(Path file) {
    engine.requireWritable("install a license");
    return installer.install(file);
  }

  /**
   * Verifies and installs a license: signature, instance, validity now, not revoked, and limits
   * against current usage (a license that lowers a limit below usage is refused with {@link
   * VerificationCode#USAGE_EXCEEDS_LIMITS}; one that keeps or raises every limit always installs).
   * Then the file is written atomically, the snapshot is swapped (a locked product unlocks at once)
   * and the install is audited. A rejected install changes nothing but the audit log.
   *
   * @throws ClientException when the usage probe fails or the license cannot be written to disk
   */
  public InstallResult install(String text) {
    Objects.requireNonNull(text, "text");
    engine.requireWritable("install a license");
    return installer.install(text);
  }

  // ---------------------------------------------------------------- usage

  /**
   * Records the product's current usage per limit (e.g. {@code users}, {@code seats}): the install
   * paths check a downgrade against it ({@code keyturn install} included, which cannot ask the
   * product), the monthly maxima feed usage reports, and the standing gains a banner when a limit
   * is exceeded. Call it whenever usage changes; with a {@link Builder#usage} probe the background
   * thread also records it every minute. Writes the state directory only when something changed or
   * at most hourly.
   *
   * @return the usage standing against the license in force
   * @throws ClientException for a negative value or a name that is no limit name
   */
  public UsageStanding reportUsage(Map<String, Long> usage) {
    Objects.requireNonNull(usage, "usage");
    engine.requireWritable("record usage");
    return engine.locked(
        () -> {
          GuardedTime t = engine.now();
          try {
            engine.recordUsage(usage, t.effective());
          } catch (IllegalArgumentException e) {
            throw new ClientException("reportUsage: " + e.getMessage(), e);
          }
          return engine.publish(t).usage();
        });
  }

  /** The usage standing of each limit last reported, against the license in force. */
  public UsageStanding usageStanding() {
    return standing().usage();
  }

  /**
   * Whether usage of {@code limit} may rise by {@code by} (e.g. before adding a user): refused only
   * when the result would be above the limit plus the license's overage allowance. Usage comes from
   * the probe when one is configured, else from the last {@link #reportUsage}. Keeping or lowering
   * usage is always allowed, and nothing is ever locked for usage.
   */
  public UsageDecision checkIncrease(String limit, long by) {
    Objects.requireNonNull(limit, "limit");
    if (engine.usage != null) {
      reportUsage(installer.currentUsage());
    }
    return engine.locked(
        () -> {
          GuardedTime t = engine.now();
          long current = engine.usageRecord.current().getOrDefault(limit, 0L);
          Optional<InstalledLicense> inForce = engine.history.inForce(t.effective());
          if (inForce.isEmpty()
              || engine.state.revocationReason(inForce.get().license().id()).isPresent()) {
            return new UsageDecision(
                false, limit, current, current + Math.max(by, 0), 0, Evaluator.NO_LICENSE_TEXT);
          }
          try {
            return Usage.increase(inForce.get().license(), limit, current, by);
          } catch (IllegalArgumentException e) {
            throw new ClientException("checkIncrease: " + e.getMessage(), e);
          }
        });
  }

  /**
   * {@link #checkIncrease}, throwing when refused: call it before adding a user, a device, ….
   *
   * @throws UsageLimitException when the increase would pass the allowance; nothing was changed
   */
  public void requireIncrease(String limit, long by) {
    UsageDecision decision = checkIncrease(limit, by);
    if (!decision.allowed()) {
      throw new UsageLimitException(decision);
    }
  }

  /**
   * Writes a usage report for the vendor (docs/usage-report.md): the monthly maxima recorded so
   * far, signed by this installation's key ({@code installation.private.pem}, made at first start),
   * numbered one above the previous report, and chained to the audit log, which records the export.
   *
   * @throws ClientException when no license is in force or the manager is read-only
   */
  public SignedUsageReport exportUsageReport() {
    engine.requireWritable("export a usage report");
    return engine.locked(
        () ->
            UsageReports.export(
                engine, installationKey, CheckInFlow.installationId(engine, checkInSettings)));
  }

  // ---------------------------------------------------------------- check-in

  /**
   * Checks in with the server now (see {@link CheckInTransport} for the wire contract). A newer
   * license in the answer installs itself through {@link #install(String)}; a revocation locks; a
   * network failure or an answer outside the contract changes nothing. Blocks for at most the
   * configured timeout, holding no lock meanwhile.
   */
  public CheckInResult checkIn() {
    return checkIns
        .map(CheckInFlow::checkIn)
        .orElseGet(
            () ->
                new CheckInResult(
                    CheckInResult.Outcome.NOT_CONFIGURED,
                    "no check-in server is configured",
                    Optional.empty(),
                    Duration.ZERO));
  }

  // ---------------------------------------------------------------- audit, lifecycle

  /** The audit log of this manager's state directory; {@link AuditLog#verify(Path)} checks it. */
  public AuditLog auditLog() {
    return engine.audit;
  }

  /** Stops the background thread. The state on disk is always complete; nothing to flush. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      // Wait for a check-in or refresh in flight, so nothing writes to the state dir after close().
      try {
        if (!scheduler.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.log(
              System.Logger.Level.WARNING,
              "the keyturn-client thread did not stop within " + CLOSE_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  Duration nextRefreshDelay() {
    return engine.nextRefreshDelay();
  }

  private ScheduledExecutorService startBackground() {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "keyturn-client");
              thread.setDaemon(true);
              return thread;
            });
    checkIns.ifPresent(flow -> s.execute(() -> checkInTask(s, flow)));
    return s;
  }

  /**
   * One pending refresh at a time, moved whenever a new snapshot is published: an install or a
   * dismissal may bring the next change closer than the refresh already planned.
   */
  private void scheduleRefresh() {
    if (pendingRefresh != null) {
      pendingRefresh.cancel(false);
    }
    try {
      pendingRefresh =
          scheduler.schedule(
              this::refreshTask, engine.nextRefreshDelay().toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      pendingRefresh = null; // closed
    }
  }

  private void refreshTask() {
    try {
      refresh(); // publishes, which plans the next refresh
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "license refresh failed; retrying in a minute", e);
      engine.locked(
          () -> {
            scheduleRefresh();
            return null;
          });
    }
  }

  private void checkInTask(ScheduledExecutorService s, CheckInFlow flow) {
    Duration next = flow.settings().retryAfterFailure();
    try {
      next = flow.checkIn().nextCheckIn();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "check-in failed", e);
    }
    try {
      Duration delay = next;
      s.schedule(() -> checkInTask(s, flow), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  /** Validates on {@link #build()}; defaults are the public constants of {@link LicenseManager}. */
  public static final class Builder {
    private Path stateDir;
    private KeyRing keys;
    private Optional<String> instanceDomain = Optional.empty();
    private Supplier<Map<String, Long>> usage; // null: the product calls reportUsage itself
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
     * a downgrade that would not fit, sent on check-in, and recorded every minute as {@link
     * #reportUsage} does. Without it the product calls {@link #reportUsage} itself, and install
     * checks against what it last reported.
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
