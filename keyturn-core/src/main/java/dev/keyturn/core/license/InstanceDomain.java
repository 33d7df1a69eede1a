package dev.keyturn.core.license;

import java.util.Locale;

/**
 * The one normalization of instance domains, shared by issuing (server, CLI) and checking (client).
 */
public final class InstanceDomain {
  private InstanceDomain() {}

  /**
   * Lower-case, without scheme, path, port or trailing dot: {@code "HTTPS://Tools.Acme.example./x"}
   * becomes {@code "tools.acme.example"}.
   *
   * @throws IllegalArgumentException if nothing that looks like a host name is left
   */
  public static String normalize(String raw) {
    String s = raw.strip().toLowerCase(Locale.ROOT);
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(0, slash);
    }
    int colon = s.lastIndexOf(':');
    if (colon >= 0) {
      s = s.substring(0, colon);
    }
    while (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty() || s.length() > 253 || !s.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
      throw new IllegalArgumentException("not a host name: '" + raw + "'");
    }
    return s;
  }

  /** Whether two domains name the same instance once normalized. */
  public static boolean same(String a, String b) {
    return normalize(a).equals(normalize(b));
  }
}
