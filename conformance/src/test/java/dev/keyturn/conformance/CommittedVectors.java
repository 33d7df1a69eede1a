package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyturn.core.crypto.KeyRing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The committed vector files, read the way an SDK reads them: plain JSON and PEM files, nothing
 * from the generator.
 */
final class CommittedVectors {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private CommittedVectors() {}

  static Path root() {
    return Path.of("").toAbsolutePath();
  }

  static JsonNode read(String file) {
    try {
      return JSON.readTree(root().resolve("vectors").resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value as JSON text parsed back, so numbers compare as they would in the vector files. */
  static JsonNode parse(Object value) {
    try {
      return JSON.readTree(JsonOut.MAPPER.writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A key ring named in {@code keys.json}, built from the committed {@code keys/*.public.pem}. */
  static KeyRing ring(String name) {
    KeyRing.Builder ring = KeyRing.builder();
    for (JsonNode id : read("keys.json").path("key_rings").path(name)) {
      ring.addPath(root().resolve("keys").resolve(id.asText() + ".public.pem"));
    }
    return ring.build();
  }
}
