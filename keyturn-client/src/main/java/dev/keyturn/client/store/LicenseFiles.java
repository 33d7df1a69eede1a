package dev.keyturn.client.store;

import dev.keyturn.core.license.ReadLimits;
import dev.keyturn.core.license.SignedLicense;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every license file ever installed, kept exactly as the vendor sent it, in {@code licenses/} under
 * the state directory. Files are named by the SHA-256 of their signature, so installing the same
 * license twice is a no-op and nothing is ever overwritten or deleted.
 */
public final class LicenseFiles {
  public static final String DIR = "licenses";
  public static final String SUFFIX = ".license.toml";

  private final Path dir;

  public LicenseFiles(Path stateDir) {
    this.dir = stateDir.resolve(DIR);
  }

  public Path dir() {
    return dir;
  }

  /** A stored file: the hash it is named by, and its text (not yet verified). */
  public record Stored(String hash, Path file, String text) {}

  /**
   * The file name here: {@link SignedLicense#signatureHash()}, which also makes the check-in token.
   */
  public static String hashOf(SignedLicense signed) {
    return signed.signatureHash();
  }

  public void createDirectories() throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.deleteTemporaryFiles(dir);
  }

  public boolean contains(String hash) {
    return Files.exists(dir.resolve(hash + SUFFIX));
  }

  /** Atomically writes a new file; the caller has verified {@code text} and computed its hash. */
  public Path write(String hash, String text) {
    Path target = dir.resolve(hash + SUFFIX);
    try {
      AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
    return target;
  }

  /** The stored files in name order; unreadable or oversized ones are returned with empty text. */
  public List<Stored> list() {
    List<Stored> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(".")) {
          continue; // a temporary file of an interrupted write
        }
        out.add(new Stored(name.substring(0, name.length() - SUFFIX.length()), file, read(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    out.sort((a, b) -> a.hash().compareTo(b.hash()));
    return out;
  }

  /**
   * A cheap summary of the directory's contents, compared periodically to notice a license that
   * another process (e.g. {@code keyturn install}) added.
   */
  public String fingerprint() {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      files.forEach(f -> names.add(f.getFileName().toString()));
    } catch (IOException e) {
      return "";
    }
    names.sort(null);
    return String.join("/", names);
  }

  private static String read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(ReadLimits.DEFAULT_MAX_FILE_BYTES + 1);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
