package dev.keyturn.client.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-signed state file ({@value #STATE_FILE}) and its secret ({@value #KEY_FILE}, 32 random
 * bytes, owner-only), plus the lock that serializes writers.
 *
 * <p>Threat model, stated plainly: the MAC turns "edit a timestamp in a JSON file" into "find and
 * use the secret next to it". It stops casual tampering and hand edits, and, with the high-water
 * mark it protects, casual clock turn-backs. It does not stop someone who can read the secret file
 * (anyone with the product's own file permissions, or root), nor restoring a complete backup or a
 * VM snapshot of the state directory: an offline client has nothing outside its own disk to compare
 * with. Online check-in narrows that gap; nothing closes it fully offline.
 *
 * <p>Writers are serialized twice: a lock per directory inside this JVM, and an OS file lock on
 * {@value #LOCK_FILE} across processes (the product and {@code keyturn install} may run at once).
 */
public final class StateStore {
  public static final String STATE_FILE = "state.json";
  public static final String KEY_FILE = "state.key";
  public static final String LOCK_FILE = ".lock";

  static final int KEY_BYTES = 32;
  private static final int MAX_STATE_BYTES = 1024 * 1024;
  private static final byte[] MAC_DOMAIN = "keyturn-state-v1\n".getBytes(StandardCharsets.UTF_8);
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;
  private final ReentrantLock jvmLock;
  private FileChannel lockChannel;
  private FileLock fileLock;
  private byte[] key;
  private long lastWrittenCounter = -1;

  public StateStore(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    this.jvmLock = JVM_LOCKS.computeIfAbsent(this.dir, d -> new ReentrantLock());
  }

  public Path dir() {
    return dir;
  }

  /**
   * The outcome of reading the state file; {@code state} is present only when it can be trusted.
   */
  public record Loaded(StateStatus status, Optional<PersistentState> state, String detail) {}

  /** Runs {@code action} holding both locks; reentrant, so nested calls are fine. */
  public <T> T locked(Supplier<T> action) {
    jvmLock.lock();
    try {
      boolean outermost = jvmLock.getHoldCount() == 1;
      if (outermost) {
        acquireFileLock();
      }
      try {
        return action.get();
      } finally {
        if (outermost) {
          releaseFileLock();
        }
      }
    } finally {
      jvmLock.unlock();
    }
  }

  /**
   * Reads and verifies the state file. Never creates anything, so that a read-only look (e.g.
   * {@code keyturn audit verify}) leaves the directory as it was.
   */
  public Loaded load() {
    Path stateFile = dir.resolve(STATE_FILE);
    Optional<byte[]> existingKey = readKey();
    byte[] bytes;
    try {
      bytes = readBounded(stateFile);
    } catch (NoSuchFileException e) {
      return existingKey.isPresent()
          ? new Loaded(StateStatus.MISSING, Optional.empty(), STATE_FILE + " is missing")
          : new Loaded(StateStatus.FRESH, Optional.empty(), "no state yet");
    } catch (IOException e) {
      return new Loaded(
          StateStatus.UNREADABLE,
          Optional.empty(),
          "cannot read " + STATE_FILE + ": " + e.getMessage());
    }
    StateFile file;
    try {
      file = Json.MAPPER.readValue(bytes, StateFile.class);
    } catch (IOException | RuntimeException e) {
      return new Loaded(
          StateStatus.UNREADABLE,
          Optional.empty(),
          STATE_FILE + " is not a valid state file (truncated or edited)");
    }
    if (file.state() == null || file.mac() == null) {
      return new Loaded(StateStatus.UNREADABLE, Optional.empty(), STATE_FILE + " is incomplete");
    }
    if (file.state().version() != PersistentState.VERSION) {
      return new Loaded(
          StateStatus.UNREADABLE,
          Optional.empty(),
          STATE_FILE
              + " has version "
              + file.state().version()
              + ", expected "
              + PersistentState.VERSION);
    }
    if (existingKey.isEmpty()) {
      return new Loaded(
          StateStatus.FORGED,
          Optional.empty(),
          KEY_FILE + " is missing, so " + STATE_FILE + " cannot be verified");
    }
    byte[] expected = mac(existingKey.get(), file.state());
    byte[] actual;
    try {
      actual = HexFormat.of().parseHex(file.mac());
    } catch (IllegalArgumentException e) {
      actual = new byte[0];
    }
    if (!MessageDigest.isEqual(expected, actual)) {
      return new Loaded(
          StateStatus.FORGED,
          Optional.empty(),
          STATE_FILE + " does not carry a valid signature: it was edited or replaced");
    }
    if (file.state().counter() < lastWrittenCounter) {
      return new Loaded(
          StateStatus.REPLAYED,
          Optional.empty(),
          STATE_FILE
              + " has counter "
              + file.state().counter()
              + " but this process already wrote "
              + lastWrittenCounter
              + ": an older copy was put back");
    }
    return new Loaded(StateStatus.OK, Optional.of(file.state()), "verified");
  }

  /**
   * Signs and writes {@code state} with its counter raised past anything written before; creates
   * the secret on first use. Call inside {@link #locked}.
   *
   * @return the state as written (with its new counter)
   */
  public PersistentState write(PersistentState state) {
    long counter = Math.max(state.counter(), lastWrittenCounter) + 1;
    PersistentState next = state.withCounter(counter);
    byte[] k = keyForWriting();
    try {
      byte[] bytes =
          Json.MAPPER.writeValueAsBytes(
              new StateFile(next, HexFormat.of().formatHex(mac(k, next))));
      AtomicFiles.write(dir.resolve(STATE_FILE), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(STATE_FILE), e);
    }
    lastWrittenCounter = counter;
    return next;
  }

  /** The state secret, if it exists and has the right length; for files signed like the state. */
  Optional<byte[]> readKey() {
    if (key != null) {
      return Optional.of(key);
    }
    try {
      byte[] bytes = readBounded(dir.resolve(KEY_FILE));
      return bytes.length == KEY_BYTES ? Optional.of(key = bytes) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The state secret, created on first use. Call inside {@link #locked}. */
  byte[] keyForWriting() {
    Optional<byte[]> existing = readKey();
    if (existing.isPresent()) {
      return existing.get();
    }
    // Missing or damaged: a new secret. Whatever the old one signed can no longer be trusted
    // anyway.
    byte[] fresh = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(fresh);
    try {
      AtomicFiles.write(dir.resolve(KEY_FILE), fresh, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(KEY_FILE), e);
    }
    key = fresh;
    return fresh;
  }

  private static byte[] mac(byte[] key, PersistentState state) {
    try {
      return hmac(key, MAC_DOMAIN, Json.MAPPER.writeValueAsBytes(state));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("state cannot be serialized", e);
    }
  }

  /**
   * HMAC-SHA256 over a domain (which file this is) and the content: how every state file is signed.
   */
  static byte[] hmac(byte[] key, byte[] domain, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(domain);
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }

  static byte[] readBounded(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_STATE_BYTES + 1);
      if (bytes.length > MAX_STATE_BYTES) {
        throw new IOException("larger than " + MAX_STATE_BYTES + " bytes");
      }
      return bytes;
    }
  }

  /**
   * Without the lock file (the directory vanished, or is read-only) the action still runs under the
   * JVM lock: reading must go on, and any write will fail on its own and be reported there.
   */
  private void acquireFileLock() {
    try {
      lockChannel =
          FileChannel.open(
              dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      fileLock = lockChannel.lock();
    } catch (IOException e) {
      closeQuietly();
    }
  }

  private void releaseFileLock() {
    try {
      if (fileLock != null) {
        fileLock.release();
      }
    } catch (IOException e) {
      // Closing the channel below releases the lock as well.
    } finally {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    try {
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // Nothing left to release.
    }
    lockChannel = null;
    fileLock = null;
  }

  /** The file as written: the state and its MAC. */
  record StateFile(PersistentState state, String mac) {}
}
