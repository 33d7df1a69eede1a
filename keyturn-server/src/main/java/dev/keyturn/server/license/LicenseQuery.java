package dev.keyturn.server.license;

import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.server.subscription.InstanceType;
import java.util.Optional;

/** Filters of the license list; {@code null} means "any". */
public record LicenseQuery(
    String subscriptionId,
    Phase phase,
    String tag,
    InstanceType instanceType,
    Boolean expired,
    Boolean revoked,
    Sort sort,
    int limit,
    int offset) {

  /** {@code expires_at} ascending answers "what expires next". */
  public enum Sort {
    EXPIRES_AT("expires_at", "l.expires_at asc, l.id asc"),
    EXPIRES_AT_DESC("-expires_at", "l.expires_at desc, l.id desc"),
    ISSUED_AT("issued_at", "l.issued_at asc, l.id asc"),
    ISSUED_AT_DESC("-issued_at", "l.issued_at desc, l.id desc");

    private final String param;
    private final String orderBy;

    Sort(String param, String orderBy) {
      this.param = param;
      this.orderBy = orderBy;
    }

    public String param() {
      return param;
    }

    String orderBy() {
      return orderBy;
    }

    public static Optional<Sort> fromParam(String param) {
      for (Sort s : values()) {
        if (s.param.equals(param)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }
}
