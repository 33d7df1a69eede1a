package dev.keyturn.server.signingkey;

import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.system.Db;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
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
 * here, retired, so licenses it signed keep verifying. The database enforces "at most one active"
 * with a unique slot, which also makes two replicas starting at once agree on the first key.
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

  /** A key as published: id and public half. */
  public record PublicKeyInfo(
      String keyId, String publicKeyPem, Instant createdAt, Instant retiredAt, boolean active) {}

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
      insertActive(newKeyId());
      events.record("signing_key.generated", "system", null, null, Map.of());
    } catch (DuplicateKeyException e) {
      // Another replica generated the first key at the same moment; use theirs.
    }
    open(activeKeyId().orElseThrow());
  }

  @Transactional
  public PublicKeyInfo rotate(String actor) {
    Optional<String> previous =
        jdbc.sql("select key_id from signing_keys where active_slot = 1 for update")
            .query(String.class)
            .optional();
    jdbc.sql("update signing_keys set active_slot = null, retired_at = ? where active_slot = 1")
        .param(Db.ts(clock.instant()))
        .update();
    String keyId = insertActive(newKeyId());
    events.record(
        "signing_key.rotated",
        actor,
        null,
        null,
        Map.of("key_id", keyId, "previous_key_id", previous.orElse("")));
    return find(keyId).orElseThrow();
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
                    rs.getObject("active_slot") != null))
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

  private String insertActive(String keyId) {
    KeyPair pair = Ed25519.generate();
    String sealed =
        master.seal(Pem.privateKey(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII), keyId);
    jdbc.sql(
            "insert into signing_keys (key_id, public_key_pem, private_key_sealed,"
                + " master_key_fingerprint, created_at, active_slot) values (?, ?, ?, ?, ?, 1)")
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
