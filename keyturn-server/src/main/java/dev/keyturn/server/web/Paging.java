package dev.keyturn.server.web;

/** Page sizes of list endpoints. */
public final class Paging {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private Paging() {}

  public static int limit(Integer requested) {
    if (requested == null) {
      return DEFAULT_LIMIT;
    }
    if (requested < 1 || requested > MAX_LIMIT) {
      throw ValidationException.of("limit", "must be 1 to " + MAX_LIMIT + ", was " + requested);
    }
    return requested;
  }

  public static int offset(Integer requested) {
    if (requested == null) {
      return 0;
    }
    if (requested < 0) {
      throw ValidationException.of("offset", "must not be negative, was " + requested);
    }
    return requested;
  }
}
