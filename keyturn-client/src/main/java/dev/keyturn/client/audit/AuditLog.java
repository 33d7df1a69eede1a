package dev.keyturn.client.audit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.client.store.Json;
import dev.keyturn.client.store.StateStatus;
import dev.keyturn.client.store.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local audit log, {@value #FILE} in the state directory: one JSON object per line, each
 * carrying the SHA-256 of the line before it. Editing or removing a line breaks the chain at that
 * point; removing lines at the end is caught by the line count and last hash kept in the signed
 * state file. It is evidence for an administrator, not a lock: someone who can rewrite the whole
 * file can recompute the chain (see {@link StateStore} for the threat model).
 *
 * <p>Appends must run inside {@link StateStore#locked}, so that two processes never chain onto the
 * same line.
 */
public final class AuditLog {
  public static final String FILE = "audit.log";

  /** The {@code prev} of the first line. */
  public static final String GENESIS = "0".repeat(64);

  private final Path file;

  public AuditLog(Path stateDir) {
    this.file = stateDir.resolve(FILE);
  }

  public Path file() {
    return file;
  }

  /** The end of the chain: how many lines, the last line's hash and time. */
  public record Tail(long lines, String hash, Optional<Instant> lastAt) {
    static final Tail EMPTY = new Tail(0, GENESIS, Optional.empty());
  }

  /** Reads the tail of the log; a missing log is an empty one. */
  public Tail tail() {
    List<String> lines = readLines(file);
    if (lines.isEmpty()) {
      return Tail.EMPTY;
    }
    String last = lines.get(lines.size() - 1);
    Optional<Instant> lastAt = Optional.empty();
    for (int i = lines.size() - 1; i >= 0 && lastAt.isEmpty(); i--) {
      lastAt = parse(lines.get(i)).map(AuditEntry::at);
    }
    return new Tail(lines.size(), sha256(last), lastAt);
  }

  /**
   * Appends one entry, chained to whatever the last line is now, and forces it to disk.
   *
   * @return the new tail, for the state file
   */
  public Tail append(Instant at, String event, Map<String, ?> data) {
    List<String> lines = readLines(file);
    String prev = lines.isEmpty() ? GENESIS : sha256(lines.get(lines.size() - 1));
    ObjectNode node = Json.LENIENT.createObjectNode();
    node.put("seq", lines.size() + 1L);
    node.put("at", at.toString());
    node.put("event", event);
    node.set("data", Json.LENIENT.valueToTree(new LinkedHashMap<>(data)));
    node.put("prev", prev);
    String line = node.toString();
    try {
      boolean torn = endsWithoutNewline();
      try (FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        // A line torn by a crash stays as it is (verify reports it); the new entry starts a line.
        String text = (torn ? "\n" : "") + line + "\n";
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    return new Tail(lines.size() + 1L, sha256(line), Optional.of(at));
  }

  /** The hash of line {@code n} (from 1), if the log has that many lines. */
  public Optional<String> hashOfLine(long n) {
    List<String> lines = readLines(file);
    return n >= 1 && n <= lines.size()
        ? Optional.of(sha256(lines.get((int) (n - 1))))
        : Optional.empty();
  }

  /** Every readable entry, skipping lines that cannot be parsed. */
  public List<AuditEntry> entries() {
    List<AuditEntry> out = new ArrayList<>();
    for (String line : readLines(file)) {
      parse(line).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Verifies the log of a state directory, using the line count and last hash of the state file
   * when that file is present and its signature holds. Reads only; creates nothing.
   */
  public static AuditVerification verify(Path stateDir) {
    StateStore.Loaded loaded = new StateStore(stateDir).load();
    Optional<Tail> expected =
        loaded.status() == StateStatus.OK
            ? loaded.state().map(s -> new Tail(s.auditLines(), s.auditHead(), Optional.empty()))
            : Optional.empty();
    return new AuditLog(stateDir).verify(expected);
  }

  /**
   * Walks the chain from the first line.
   *
   * @param expected the tail recorded elsewhere (the state file); the log may have grown since, but
   *     must still hold that line unchanged
   */
  public AuditVerification verify(Optional<Tail> expected) {
    List<String> lines;
    boolean incompleteLast;
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      incompleteLast = !text.isEmpty() && !text.endsWith("\n");
      lines = split(text);
    } catch (NoSuchFileException e) {
      lines = List.of();
      incompleteLast = false;
    } catch (IOException e) {
      return AuditVerification.broken(0, 1, "cannot read " + file + ": " + e.getMessage());
    }
    long count = lines.size();
    String prevHash = GENESIS;
    String hashAtExpected = null;
    for (int i = 0; i < lines.size(); i++) {
      long n = i + 1L;
      String line = lines.get(i);
      Optional<AuditEntry> entry = parse(line);
      if (entry.isEmpty()) {
        String why =
            n == count && incompleteLast
                ? "line " + n + " is incomplete: its write was interrupted"
                : "line " + n + " is not a valid audit entry";
        return AuditVerification.broken(count, n, why);
      }
      AuditEntry e = entry.get();
      if (e.seq() != n) {
        return e.seq() > n
            ? AuditVerification.broken(
                count,
                n,
                "line "
                    + n
                    + " is missing: the entry found there is number "
                    + e.seq()
                    + "; "
                    + (e.seq() - n)
                    + " line(s) were removed")
            : AuditVerification.broken(
                count,
                n,
                "line " + n + " carries number " + e.seq() + ": lines were copied or reordered");
      }
      if (!e.prev().equals(prevHash)) {
        return n == 1
            ? AuditVerification.broken(count, 1, "line 1 was changed: it does not start the chain")
            : AuditVerification.broken(
                count,
                n - 1,
                "line "
                    + (n - 1)
                    + " was changed after it was written: line "
                    + n
                    + " records a different hash for it");
      }
      prevHash = sha256(line);
      if (expected.isPresent() && n == expected.get().lines()) {
        hashAtExpected = prevHash;
      }
    }
    if (expected.isPresent() && expected.get().lines() > 0) {
      Tail t = expected.get();
      if (count < t.lines()) {
        return AuditVerification.broken(
            count,
            count + 1,
            "line "
                + (count + 1)
                + " is missing: the log ends after "
                + count
                + " lines, the state file records "
                + t.lines());
      }
      if (!t.hash().equals(hashAtExpected)) {
        return AuditVerification.broken(
            count,
            t.lines(),
            "line " + t.lines() + " was changed: the state file records a different hash for it");
      }
    }
    return AuditVerification.ok(
        count,
        count == 0 ? "the audit log is empty" : "all " + count + " lines are intact and chained");
  }

  static Optional<AuditEntry> parse(String line) {
    try {
      JsonNode node = Json.LENIENT.readTree(line);
      if (node == null
          || !node.isObject()
          || !node.path("seq").canConvertToLong()
          || !node.path("at").isTextual()
          || !node.path("event").isTextual()
          || !node.path("prev").isTextual()
          || !node.path("data").isObject()) {
        return Optional.empty();
      }
      Map<String, Object> data =
          Json.LENIENT.convertValue(
              node.get("data"), new TypeReference<LinkedHashMap<String, Object>>() {});
      data.values().removeIf(v -> v == null);
      return Optional.of(
          new AuditEntry(
              node.get("seq").asLong(),
              Instant.parse(node.get("at").asText()),
              node.get("event").asText(),
              data,
              node.get("prev").asText()));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private boolean endsWithoutNewline() throws IOException {
    if (!Files.exists(file) || Files.size(file) == 0) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      channel.read(last, channel.size() - 1);
      return last.get(0) != '\n';
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return split(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Lines without their terminators; a last line without one still counts. */
  private static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        out.add(text.substring(start));
        break;
      }
      out.add(text.substring(start, end));
      start = end + 1;
    }
    return out;
  }

  static String sha256(String line) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
