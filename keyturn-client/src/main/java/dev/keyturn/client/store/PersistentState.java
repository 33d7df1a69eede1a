package dev.keyturn.client.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the client remembers between runs besides the license files and the audit log. Every
 * change is a new value; {@link StateStore} signs and writes it.
 *
 * @param counter raised by one on every write, so that an older copy of the file put back in place
 *     is recognised while the process that wrote the newer one still runs
 * @param highWater the latest instant licensing has reached (ISO-8601); time never goes back behind
 *     it
 * @param dismissals license id → stage id → the instant the banner of that stage was dismissed
 * @param revoked license id → the reason the server gave
 * @param paymentFailing the server's message while a renewal waits for a payment retry, else null
 * @param instanceConflict the server said that another instance holds this license
 * @param auditLines how many lines the audit log had after the last entry this client wrote
 * @param auditHead the SHA-256 (hex) of that last line, so a truncated or edited tail is noticed
 * @param lastStage {@code <license id>/<stage id>} of the last stage entry audited, so each stage
 *     is audited once; those entries are also evidence of time should this file be lost
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PersistentState(
    int version,
    long counter,
    String highWater,
    SortedMap<String, SortedMap<String, String>> dismissals,
    SortedMap<String, String> revoked,
    String paymentFailing,
    boolean instanceConflict,
    long auditLines,
    String auditHead,
    String lastStage) {

  public static final int VERSION = 1;

  public PersistentState {
    Objects.requireNonNull(highWater, "highWater");
    Instant.parse(highWater); // rejects a value that is not an instant while reading
    dismissals = copyNested(dismissals);
    revoked =
        Collections.unmodifiableSortedMap(new TreeMap<>(revoked == null ? Map.of() : revoked));
    Objects.requireNonNull(auditHead, "auditHead");
    lastStage = lastStage == null ? "" : lastStage;
  }

  public static PersistentState initial(Instant highWater, String auditHead, long auditLines) {
    return new PersistentState(
        VERSION,
        0,
        highWater.toString(),
        new TreeMap<>(),
        new TreeMap<>(),
        null,
        false,
        auditLines,
        auditHead,
        "");
  }

  public Instant highWaterInstant() {
    return Instant.parse(highWater);
  }

  public Optional<Instant> dismissedAt(String licenseId, String stageId) {
    SortedMap<String, String> stages = dismissals.get(licenseId);
    return stages == null || !stages.containsKey(stageId)
        ? Optional.empty()
        : Optional.of(Instant.parse(stages.get(stageId)));
  }

  public Optional<String> revocationReason(String licenseId) {
    return Optional.ofNullable(revoked.get(licenseId));
  }

  public Optional<String> paymentFailingMessage() {
    return Optional.ofNullable(paymentFailing);
  }

  /** Never lowers the high-water mark, whatever the caller passes. */
  public PersistentState withHighWater(Instant at) {
    Instant next = at.isAfter(highWaterInstant()) ? at : highWaterInstant();
    return new PersistentState(
        version,
        counter,
        next.toString(),
        dismissals,
        revoked,
        paymentFailing,
        instanceConflict,
        auditLines,
        auditHead,
        lastStage);
  }

  public PersistentState withCounter(long next) {
    return new PersistentState(
        version,
        next,
        highWater,
        dismissals,
        revoked,
        paymentFailing,
        instanceConflict,
        auditLines,
        auditHead,
        lastStage);
  }

  /** Records a dismissal; only the license's own dismissals are kept, older licenses' are done. */
  public PersistentState withDismissal(String licenseId, String stageId, Instant at) {
    SortedMap<String, SortedMap<String, String>> next = new TreeMap<>();
    SortedMap<String, String> stages =
        new TreeMap<>(dismissals.getOrDefault(licenseId, new TreeMap<>()));
    stages.put(stageId, at.toString());
    next.put(licenseId, stages);
    return new PersistentState(
        version,
        counter,
        highWater,
        next,
        revoked,
        paymentFailing,
        instanceConflict,
        auditLines,
        auditHead,
        lastStage);
  }

  public PersistentState withRevoked(String licenseId, String reason) {
    SortedMap<String, String> next = new TreeMap<>(revoked);
    next.put(licenseId, reason);
    return new PersistentState(
        version,
        counter,
        highWater,
        dismissals,
        next,
        paymentFailing,
        instanceConflict,
        auditLines,
        auditHead,
        lastStage);
  }

  public PersistentState withServerFlags(String paymentFailing, boolean instanceConflict) {
    return new PersistentState(
        version,
        counter,
        highWater,
        dismissals,
        revoked,
        paymentFailing,
        instanceConflict,
        auditLines,
        auditHead,
        lastStage);
  }

  public PersistentState withLastStage(String stage) {
    return new PersistentState(
        version,
        counter,
        highWater,
        dismissals,
        revoked,
        paymentFailing,
        instanceConflict,
        auditLines,
        auditHead,
        stage);
  }

  public PersistentState withAudit(long lines, String head) {
    return new PersistentState(
        version,
        counter,
        highWater,
        dismissals,
        revoked,
        paymentFailing,
        instanceConflict,
        lines,
        head,
        lastStage);
  }

  private static SortedMap<String, SortedMap<String, String>> copyNested(
      Map<String, ? extends Map<String, String>> in) {
    TreeMap<String, SortedMap<String, String>> out = new TreeMap<>();
    if (in != null) {
      in.forEach((k, v) -> out.put(k, Collections.unmodifiableSortedMap(new TreeMap<>(v))));
    }
    return Collections.unmodifiableSortedMap(out);
  }
}
