package dev.keyturn.core.license;

/**
 * Bounds the license reader enforces before and while parsing, so a hostile file cannot exhaust
 * memory or stack. Real license files are a few hundred bytes; the defaults leave generous room.
 */
public record ReadLimits(
    int maxFileBytes, int maxStringLength, int maxArrayLength, int maxNestingDepth) {

  public static final int DEFAULT_MAX_FILE_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_STRING_LENGTH = 4096;
  public static final int DEFAULT_MAX_ARRAY_LENGTH = 1024;

  /**
   * Root table = depth 1, so {@code [license.policy]} is depth 3; room is left for extension
   * tables.
   */
  public static final int DEFAULT_MAX_NESTING_DEPTH = 8;

  public static final ReadLimits DEFAULTS =
      new ReadLimits(
          DEFAULT_MAX_FILE_BYTES,
          DEFAULT_MAX_STRING_LENGTH,
          DEFAULT_MAX_ARRAY_LENGTH,
          DEFAULT_MAX_NESTING_DEPTH);

  public ReadLimits {
    requirePositive("maxFileBytes", maxFileBytes);
    requirePositive("maxStringLength", maxStringLength);
    requirePositive("maxArrayLength", maxArrayLength);
    if (maxNestingDepth < 3) {
      throw new IllegalArgumentException(
          "maxNestingDepth must be at least 3 (a license needs [license.policy]), was "
              + maxNestingDepth);
    }
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
