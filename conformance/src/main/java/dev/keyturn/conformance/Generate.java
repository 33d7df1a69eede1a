package dev.keyturn.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the conformance vectors from the Java reference: {@code vectors/*.json} and {@code
 * keys/*.pem} under the folder given (the {@code conformance/} module). Run it with {@code ./mvnw
 * -q -B -pl conformance -am process-classes -Dgenerate}; {@code GeneratedFilesTest} fails when the
 * committed files differ from what this writes.
 */
public final class Generate {
  /** The folders this program owns: everything in them is rewritten, and nothing else is kept. */
  public static final List<String> OWNED_DIRS = List.of("vectors", "keys");

  private Generate() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "conformance");
    write(root);
    System.out.println("conformance vectors written to " + root.toAbsolutePath().normalize());
  }

  /** Every generated file by its path relative to the module folder ({@code vectors/keys.json}). */
  public static SortedMap<String, byte[]> files() {
    SortedMap<String, byte[]> files = new TreeMap<>();
    KeyVectors.addTo(files);
    text(files, "vectors/verification.json", JsonOut.write(VerificationVectors.build()));
    text(files, "vectors/lifecycle.json", JsonOut.write(LifecycleVectors.build()));
    text(files, "vectors/check-in.json", JsonOut.write(CheckInVectors.build()));
    text(files, "vectors/cli.json", JsonOut.write(CliVectors.build()));
    text(files, "vectors/usage.json", JsonOut.write(UsageVectors.build()));
    text(files, "vectors/banner-assets.json", JsonOut.write(WebVectors.bannerAssets()));
    text(files, "vectors/web.json", JsonOut.write(WebVectors.web()));
    return files;
  }

  static void text(Map<String, byte[]> files, String path, String text) {
    if (files.put(path, text.getBytes(StandardCharsets.UTF_8)) != null) {
      throw new IllegalStateException("two generators write " + path);
    }
  }

  /** Replaces the owned folders' contents with {@link #files()}. */
  public static void write(Path root) throws IOException {
    SortedMap<String, byte[]> files = files();
    for (String dir : OWNED_DIRS) {
      Path d = root.resolve(dir);
      if (Files.isDirectory(d)) {
        try (Stream<Path> old = Files.list(d)) {
          old.filter(Files::isRegularFile)
              .forEach(
                  f -> {
                    try {
                      Files.delete(f);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
        }
      }
    }
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path file = root.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
  }
}
