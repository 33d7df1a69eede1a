package dev.keyturn.core.usage;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed access to one parsed JSON object, with errors that name the field's full path. */
record Fields(String path, Map<String, Object> values) {

  static Fields object(Object value, String path) {
    if (!(value instanceof Map<?, ?> map)) {
      throw UsageReportException.malformed(path + " must be a JSON object, found " + kind(value));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) map;
    return new Fields(path, m);
  }

  /** A report is exactly its format: a new field is a new format, never silently ignored. */
  void onlyKeys(String... known) {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(Set.of(known));
    if (!unknown.isEmpty()) {
      throw UsageReportException.malformed(
          path + " has unknown fields " + unknown + "; expected only " + List.of(known));
    }
  }

  Object required(String key) {
    Object v = values.get(key);
    if (v == null || v == JsonText.NULL) {
      throw UsageReportException.malformed(name(key) + " is missing");
    }
    return v;
  }

  String string(String key, int maxLength) {
    Object v = required(key);
    if (!(v instanceof String s)) {
      throw UsageReportException.malformed(name(key) + " must be a string, found " + kind(v));
    }
    if (s.length() > maxLength) {
      throw UsageReportException.tooLarge(
          name(key) + " is longer than " + maxLength + " characters");
    }
    return s;
  }

  long wholeNumber(String key) {
    Object v = required(key);
    if (!(v instanceof Long n)) {
      throw UsageReportException.malformed(name(key) + " must be a whole number, found " + kind(v));
    }
    return n;
  }

  byte[] base64(String key, int maxLength) {
    String s = string(key, maxLength * 4 / 3 + 4);
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw UsageReportException.malformed(name(key) + " is not valid base64");
    }
  }

  List<Object> array(String key) {
    Object v = required(key);
    if (!(v instanceof List<?> list)) {
      throw UsageReportException.malformed(name(key) + " must be an array, found " + kind(v));
    }
    @SuppressWarnings("unchecked")
    List<Object> l = (List<Object>) list;
    return l;
  }

  Fields object(String key) {
    return object(required(key), name(key));
  }

  String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String kind(Object v) {
    if (v == null || v == JsonText.NULL) {
      return "null";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Long) {
      return "a number";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof List) {
      return "an array";
    }
    return "an object";
  }
}
