package dev.keyturn.core.license;

import java.util.Arrays;
import java.util.Optional;

/** How the product behaves during grace: fully working, or read-only. */
public enum GraceMode {
  FULL("full"),
  READ_ONLY("read-only");

  private final String tomlName;

  GraceMode(String tomlName) {
    this.tomlName = tomlName;
  }

  /** The spelling used in license files and on the command line. */
  public String tomlName() {
    return tomlName;
  }

  public static Optional<GraceMode> fromTomlName(String name) {
    return Arrays.stream(values()).filter(m -> m.tomlName.equals(name)).findFirst();
  }
}
