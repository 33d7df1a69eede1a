package dev.keyturn.client.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@value #FILE}: the usage the product reports, signed with the state secret ({@link
 * StateStore#KEY_FILE}) like the state itself, so {@code keyturn install} can check a downgrade
 * against it and a hand edit is noticed. A file of its own rather than part of {@code state.json}:
 * every SDK reads the state file strictly, and the usage record is read only by the install paths.
 * The threat model is the state file's: it stops hand edits, not someone who can read the secret.
 */
public final class UsageStore {
  public static final String FILE = "usage.json";

  /**
   * How long after the product last reported usage an install trusts it. The running product
   * rewrites the record at least every {@link #HEARTBEAT}, so an older one means it has not run for
   * a day and usage may have changed since (users removed in its database, a restore).
   */
  public static final Duration TRUSTED_FOR = Duration.ofHours(24);

  /** The running product rewrites an unchanged record this often, so its time stays recent. */
  public static final Duration HEARTBEAT = Duration.ofHours(1);

  private static final byte[] MAC_DOMAIN = "keyturn-usage-v1\n".getBytes(StandardCharsets.UTF_8);

  private final StateStore store;

  public UsageStore(StateStore store) {
    this.store = store;
  }

  /** The outcome of reading the file; {@code record} is present only when it can be trusted. */
  public record Loaded(StateStatus status, Optional<UsageRecord> record, String detail) {}

  /** Reads and verifies the file; creates nothing. */
  public Loaded load() {
    Path file = store.dir().resolve(FILE);
    byte[] bytes;
    try {
      bytes = StateStore.readBounded(file);
    } catch (NoSuchFileException e) {
      return new Loaded(StateStatus.FRESH, Optional.empty(), "no usage recorded yet");
    } catch (IOException e) {
      return new Loaded(
          StateStatus.UNREADABLE, Optional.empty(), "cannot read " + FILE + ": " + e.getMessage());
    }
    UsageFile parsed;
    try {
      parsed = Json.MAPPER.readValue(bytes, UsageFile.class);
    } catch (IOException | RuntimeException e) {
      return new Loaded(
          StateStatus.UNREADABLE, Optional.empty(), FILE + " is not a valid usage record");
    }
    if (parsed.usage() == null
        || parsed.mac() == null
        || parsed.usage().version() != UsageRecord.VERSION) {
      return new Loaded(StateStatus.UNREADABLE, Optional.empty(), FILE + " is incomplete");
    }
    Optional<byte[]> key = store.readKey();
    if (key.isEmpty()) {
      return new Loaded(StateStatus.FORGED, Optional.empty(), StateStore.KEY_FILE + " is missing");
    }
    byte[] actual;
    try {
      actual = HexFormat.of().parseHex(parsed.mac());
    } catch (IllegalArgumentException e) {
      actual = new byte[0];
    }
    if (!MessageDigest.isEqual(mac(key.get(), parsed.usage()), actual)) {
      return new Loaded(
          StateStatus.FORGED,
          Optional.empty(),
          FILE + " does not carry a valid signature: it was edited or replaced");
    }
    return new Loaded(StateStatus.OK, Optional.of(parsed.usage()), "verified");
  }

  /** Signs and writes {@code record}. Call inside {@link StateStore#locked}. */
  public void write(UsageRecord record) {
    byte[] key = store.keyForWriting();
    try {
      byte[] bytes =
          Json.MAPPER.writeValueAsBytes(
              new UsageFile(record, HexFormat.of().formatHex(mac(key, record))));
      AtomicFiles.write(store.dir().resolve(FILE), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + store.dir().resolve(FILE), e);
    }
  }

  /**
   * HMAC-SHA256 over the domain and the record's JSON: keys sorted, compact, as every SDK writes.
   */
  private static byte[] mac(byte[] key, UsageRecord record) {
    try {
      return StateStore.hmac(key, MAC_DOMAIN, Json.MAPPER.writeValueAsBytes(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("usage record cannot be serialized", e);
    }
  }

  /** The file as written: the record and its MAC. */
  record UsageFile(UsageRecord usage, String mac) {}
}
