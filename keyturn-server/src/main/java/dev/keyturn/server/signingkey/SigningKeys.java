package dev.keyturn.server.signingkey;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.signingkey.internal.SigningKeyException;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The server's Ed25519 signing keys. Exactly one is active (it signs); every key ever used stays
 * here, retired, so licenses it signed keep verifying. At most one more is pending ("next"):
 * published so clients can trust it before it signs anything, activated by the next rotation. The
 * database enforces "at most one active" and "at most one next" with unique slots, which also makes
 * two replicas starting or rotating at once agree.
 */
@Component
public class SigningKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final MasterKey master;
  private final Clock clock;
  private final EventLog events;
  private final ConcurrentMap<String, SigningKey> opened = new ConcurrentHashMap<>();

  SigningKeys(JdbcClient jdbc, MasterKey master, Clock clock, EventLog events) {
    this.jdbc = jdbc;
    this.master = master;
    this.clock = clock;
    this.events = events;
  }

  /** Where a key stands: {@code next} is published but signs nothing until it is activated. */
  public enum State {
    ACTIVE,
    NEXT,
    RETIRED;

    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A key as published: id, public half and state. */
  public record PublicKeyInfo(
      String keyId,
      String publicKeyPem,
      Instant createdAt,
      Instant retiredAt,
      boolean active,
      State state) {}

  /** The pending key, and whether this call made it (or found one already prepared). */
  public record Prepared(PublicKeyInfo key, boolean created) {}

  /** The key that signs new licenses; made on first use if there is none yet. */
  public SigningKey active() {
    Optional<String> id = activeKeyId();
    if (id.isEmpty()) {
      ensureActiveKey();
      id = activeKeyId();
    }
    return open(id.orElseThrow(() -> new SigningKeyException("no active signing key")));
  }

  /**
   * Makes the first key on a fresh database and checks that the active key opens with this master
   * key, so a wrong master key stops the server at start, not at the first issuance.
   */
  public void ensureActiveKey() {
    Optional<String> id = activeKeyId();
    if (id.isPresent()) {
      open(id.get());
      return;
    }
    try {
      insert(newKeyId(), "active_slot");
      events.record("signing_key.generated", "system", null, null, Map.of());
    } catch (DuplicateKeyException e) {
      // Another replica generated the first key at the same moment; use theirs.
    }
    open(activeKeyId().orElseThrow());
  }

  /**
   * Makes the next key without activating it: clients can be shipped its public half before any
   * license is signed with it. While one is pending, that one is answered (nothing is made).
   */
  @Transactional
  public Prepared prepareNext(String actor) {
    Optional<String> pending = nextKeyId();
    if (pending.isPresent()) {
      return new Prepared(find(pending.get()).orElseThrow(), false);
    }
    String keyId = newKeyId();
    try {
      insert(keyId, "next_slot");
    } catch (DuplicateKeyException e) {
      // Another replica prepared one at the same moment (this transaction is spoilt on
      // PostgreSQL, so it cannot read theirs): theirs is the next key.
      throw new KeyturnServerException(
          ErrorCode.CONFLICT,
          "another next key was prepared at the same moment; list the signing keys to see it");
    }
    events.record("signing_key.prepared", actor, null, null, Map.of("key_id", keyId));
    return new Prepared(find(keyId).orElseThrow(), true);
  }

  /**
   * Activates the pending key, or makes a new active key when none is pending; the previous active
   * key is retired (kept, still verifies). Two rotations at once: the unique slots let one commit
   * and roll the other back with a conflict, so there is never more or less than one active key.
   */
  @Transactional
  public PublicKeyInfo rotate(String actor) {
    Optional<String> previous =
        jdbc.sql("select key_id from signing_keys where active_slot = 1 for update")
            .query(String.class)
            .optional();
    Optional<String> pending =
        jdbc.sql("select key_id from signing_keys where next_slot = 1 for update")
            .query(String.class)
            .optional();
    try {
      previous.ifPresent(
          id ->
              jdbc.sql(
                      "update signing_keys set active_slot = null, retired_at = ? where key_id = ?")
                  .params(Db.ts(clock.instant()), id)
                  .update());
      String keyId;
      if (pending.isPresent()) {
        keyId = pending.get();
        int moved =
            jdbc.sql(
                    "update signing_keys set next_slot = null, active_slot = 1"
                        + " where key_id = ? and next_slot = 1")
                .param(keyId)
                .update();
        if (moved != 1) {
          throw concurrentRotation();
        }
      } else {
        keyId = insert(newKeyId(), "active_slot");
      }
      events.record(
          "signing_key.rotated",
          actor,
          null,
          null,
          Map.of("key_id", keyId, "previous_key_id", previous.orElse("")));
      return find(keyId).orElseThrow();
    } catch (DuplicateKeyException e) {
      // Our reads went stale while another rotation committed: theirs stands, ours rolls back.
      throw concurrentRotation();
    }
  }

  private static KeyturnServerException concurrentRotation() {
    return new KeyturnServerException(
        ErrorCode.CONFLICT,
        "another rotation committed at the same moment; nothing was changed here:"
            + " list the signing keys before rotating again");
  }

  public List<PublicKeyInfo> list() {
    return jdbc.sql("select * from signing_keys order by created_at, key_id")
        .query(
            (rs, n) ->
                new PublicKeyInfo(
                    rs.getString("key_id"),
                    rs.getString("public_key_pem"),
                    Db.instant(rs, "created_at"),
                    Db.instant(rs, "retired_at"),
                    rs.getObject("active_slot") != null,
                    rs.getObject("active_slot") != null
                        ? State.ACTIVE
                        : rs.getObject("next_slot") != null ? State.NEXT : State.RETIRED))
        .list();
  }

  public Optional<PublicKeyInfo> find(String keyId) {
    return list().stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  private Optional<String> activeKeyId() {
    return jdbc.sql("select key_id from signing_keys where active_slot = 1")
        .query(String.class)
        .optional();
  }

  private Optional<String> nextKeyId() {
    return jdbc.sql("select key_id from signing_keys where next_slot = 1")
        .query(String.class)
        .optional();
  }

  private SigningKey open(String keyId) {
    return opened.computeIfAbsent(
        keyId,
        id -> {
          String sealed =
              jdbc.sql("select private_key_sealed from signing_keys where key_id = ?")
                  .param(id)
                  .query(String.class)
                  .single();
          String pem = new String(master.open(sealed, id), StandardCharsets.US_ASCII);
          return new SigningKey(id, Pem.readPrivateKey(pem));
        });
  }

  /** Inserts a new key into {@code slot}: {@code active_slot} (it signs) or {@code next_slot}. */
  private String insert(String keyId, String slot) {
    KeyPair pair = Ed25519.generate();
    String sealed =
        master.seal(Pem.privateKey(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII), keyId);
    jdbc.sql(
            "insert into signing_keys (key_id, public_key_pem, private_key_sealed,"
                + " master_key_fingerprint, created_at, "
                + slot
                + ") values (?, ?, ?, ?, ?, 1)")
        .params(
            keyId,
            Pem.publicKey(pair.getPublic()),
            sealed,
            master.fingerprint(),
            Db.ts(clock.instant()))
        .update();
    return keyId;
  }

  /** {@code 2026-11-23-3fa9}: readable in a license file, unique enough to never collide. */
  private String newKeyId() {
    byte[] random = new byte[2];
    RANDOM.nextBytes(random);
    return clock.instant().atZone(ZoneOffset.UTC).toLocalDate()
        + "-"
        + HexFormat.of().formatHex(random);
  }
}
