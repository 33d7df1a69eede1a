package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed vectors are exactly what the Java reference generates today. Generation is
 * deterministic (fixed seeds, instants and order), so any difference is a change of behaviour.
 */
class GeneratedFilesTest {
  private static final String REGENERATE =
      "./mvnw -q -B -pl conformance -am process-classes -Dgenerate";

  @Test
  void committed_vectors_are_what_the_reference_generates(@TempDir Path tmp) throws IOException {
    // Written to disk and read back, as the real command does, so writing itself is covered too.
    Generate.write(tmp);
    Path committed = Path.of("").toAbsolutePath();
    List<String> problems = new ArrayList<>();
    for (String dir : Generate.OWNED_DIRS) {
      TreeSet<String> names = new TreeSet<>(list(tmp.resolve(dir)));
      names.addAll(list(committed.resolve(dir)));
      for (String name : names) {
        String path = dir + "/" + name;
        Path want = tmp.resolve(path);
        Path have = committed.resolve(path);
        if (!Files.exists(have)) {
          problems.add("conformance/" + path + " is missing");
        } else if (!Files.exists(want)) {
          problems.add("conformance/" + path + " is no longer generated");
        } else if (!java.util.Arrays.equals(Files.readAllBytes(want), Files.readAllBytes(have))) {
          problems.add("conformance/" + path + " differs: " + firstDifference(want, have));
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(
          "the committed conformance vectors differ from what the Java reference generates:\n  "
              + String.join("\n  ", problems)
              + "\nIf the change of behaviour is intended, regenerate them with\n  "
              + REGENERATE
              + "\nand commit the result (SDKs then have to follow).");
    }
  }

  private static List<String> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String firstDifference(Path want, Path have) throws IOException {
    List<String> a = Files.readAllLines(want, StandardCharsets.UTF_8);
    List<String> b = Files.readAllLines(have, StandardCharsets.UTF_8);
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      String x = i < a.size() ? a.get(i) : "(end of file)";
      String y = i < b.size() ? b.get(i) : "(end of file)";
      if (!x.equals(y)) {
        return "line " + (i + 1) + ": generated " + clip(x) + ", committed " + clip(y);
      }
    }
    return "line endings or encoding";
  }

  private static String clip(String s) {
    return "'" + (s.length() > 120 ? s.substring(0, 120) + "…" : s) + "'";
  }
}
