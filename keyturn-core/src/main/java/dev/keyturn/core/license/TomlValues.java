package dev.keyturn.core.license;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The value types a license table may hold once parsed: String, Long, Double, Boolean, Instant
 * (TOML offset datetime), LocalDate, LocalDateTime, LocalTime, List of values and Map (a table,
 * keys sorted).
 */
final class TomlValues {
  /**
   * Bare TOML keys only: keeps canonical key order (by {@code String.compareTo}) equal to byte
   * order.
   */
  static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private TomlValues() {}

  static void requireKey(String path, String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          path + ": key '" + key + "' must be 1 to 64 of A-Z, a-z, 0-9, '_' or '-'");
    }
  }

  static String typeName(Object value) {
    if (value instanceof String) {
      return "a string";
    } else if (value instanceof Long) {
      return "an integer";
    } else if (value instanceof Double) {
      return "a float";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof Instant) {
      return "a datetime";
    } else if (value instanceof LocalDate) {
      return "a local date";
    } else if (value instanceof LocalDateTime) {
      return "a local datetime";
    } else if (value instanceof LocalTime) {
      return "a local time";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof Map) {
      return "a table";
    }
    throw new IllegalArgumentException("not a license value: " + value.getClass().getName());
  }
}
