package dev.keyturn.core.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The public keys a verifier trusts, by key id. Rotation keeps old ids here, so licenses signed
 * before a rotation keep verifying.
 */
public final class KeyRing {
  private final Map<String, PublicKey> keys;

  private KeyRing(Map<String, PublicKey> keys) {
    this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
  }

  public static KeyRing of(Map<String, PublicKey> keys) {
    keys.keySet().forEach(KeyIds::require);
    return new KeyRing(keys);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<PublicKey> find(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  public Map<String, PublicKey> keys() {
    return keys;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Collects trusted keys from PEM files and folders of them. */
  public static final class Builder {
    private final Map<String, PublicKey> keys = new LinkedHashMap<>();

    private Builder() {}

    public Builder add(String keyId, PublicKey key) {
      PublicKey previous = keys.putIfAbsent(KeyIds.require(keyId), key);
      if (previous != null && !previous.equals(key)) {
        throw new KeyException("two different public keys are both named '" + keyId + "'");
      }
      return this;
    }

    /**
     * Adds {@code <id>.public.pem} (id from the file name, or {@code <id>.pem}), or every such file
     * in a folder.
     */
    public Builder addPath(Path path) {
      if (Files.isDirectory(path)) {
        List<Path> files;
        try (Stream<Path> list = Files.list(path)) {
          files =
              list.filter(p -> p.getFileName().toString().endsWith(SigningKey.PUBLIC_SUFFIX))
                  .sorted()
                  .toList();
        } catch (IOException e) {
          throw new KeyException("cannot list " + path + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
          throw new KeyException("no *" + SigningKey.PUBLIC_SUFFIX + " files in " + path);
        }
        files.forEach(this::addFile);
      } else if (Files.isRegularFile(path)) {
        addFile(path);
      } else {
        throw new KeyException("no such key file or folder: " + path);
      }
      return this;
    }

    private void addFile(Path file) {
      String name = file.getFileName().toString();
      String id =
          name.endsWith(SigningKey.PUBLIC_SUFFIX)
              ? name.substring(0, name.length() - SigningKey.PUBLIC_SUFFIX.length())
              : name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
      add(id, Pem.readPublicKey(file));
    }

    public KeyRing build() {
      return new KeyRing(keys);
    }
  }
}
