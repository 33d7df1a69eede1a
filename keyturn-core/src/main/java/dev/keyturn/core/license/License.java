package dev.keyturn.core.license;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a subscription grants for a period: the {@code [license]} table of a license file, typed.
 * Immutable; a new period is a new license.
 *
 * @param seats 0 means unlimited
 * @param overagePercent limit name → how far usage may run above that limit, in percent of it
 *     (0..{@value #MAX_OVERAGE_PERCENT}), before the product refuses to let it grow; a limit not
 *     named has no allowance (docs/license-format.md, "Overage")
 * @param extensions keys inside {@code [license]} this version does not know; kept and signed
 *     (docs/design.md §3)
 */
public record License(
    String id,
    String subscriptionId,
    String customer,
    Optional<String> instanceDomain,
    String tier,
    long seats,
    List<String> features,
    List<String> tags,
    Instant issuedAt,
    Instant notBefore,
    Instant expiresAt,
    Map<String, Long> limits,
    Map<String, Integer> overagePercent,
    LicensePolicy policy,
    Map<String, Object> extensions) {

  /** The largest overage allowance a license may grant: ten times the limit on top of it. */
  public static final int MAX_OVERAGE_PERCENT = 1000;

  public License {
    requireText(id, "id");
    requireText(subscriptionId, "subscription_id");
    requireText(customer, "customer");
    requireText(tier, "tier");
    Objects.requireNonNull(instanceDomain, "instanceDomain");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(policy, "policy");
    if (seats < 0) {
      throw new IllegalArgumentException("seats must be 0 (unlimited) or more, was " + seats);
    }
    if (!expiresAt.isAfter(notBefore)) {
      throw new IllegalArgumentException(
          "expires_at (" + expiresAt + ") must be after not_before (" + notBefore + ")");
    }
    features = List.copyOf(features);
    tags = List.copyOf(tags);
    limits = Map.copyOf(limits);
    overagePercent = Map.copyOf(overagePercent);
    extensions = Map.copyOf(new TreeMap<>(extensions));
    // Checked here, not only when reading, so an issuer can never sign a file that readers refuse.
    limits.keySet().forEach(name -> TomlValues.requireKey("license.limits", name));
    LicenseTable.checkKeys("license", extensions);
    checkOverage(overagePercent, limits, seats);
  }

  /**
   * Each allowance names a limit the license sets ({@code [license.limits]}, or {@code seats} when
   * seats are counted) and lies in 0..{@value #MAX_OVERAGE_PERCENT}: an allowance on nothing, or a
   * negative one, is an issuer's mistake that readers must not have to guess about.
   */
  private static void checkOverage(
      Map<String, Integer> overagePercent, Map<String, Long> limits, long seats) {
    overagePercent.forEach(
        (name, percent) -> {
          TomlValues.requireKey("license.overage_percent", name);
          if (percent == null || percent < 0 || percent > MAX_OVERAGE_PERCENT) {
            throw new IllegalArgumentException(
                "overage_percent."
                    + name
                    + " must be a whole number from 0 to "
                    + MAX_OVERAGE_PERCENT
                    + ", was "
                    + percent);
          }
          boolean limited = limits.containsKey(name) || ("seats".equals(name) && seats > 0);
          if (!limited) {
            throw new IllegalArgumentException(
                "overage_percent."
                    + name
                    + " must be a limit this license sets (set license.limits."
                    + name
                    + (name.equals("seats") ? " or seats" : "")
                    + " first)");
          }
        });
  }

  /** The overage allowance of a limit in percent; 0 when the license grants none. */
  public int overagePercent(String limit) {
    return overagePercent.getOrDefault(limit, 0);
  }

  public boolean hasFeature(String feature) {
    return features.contains(feature);
  }

  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }

  /** Limits in name order, as they are written to the file. */
  public Map<String, Long> sortedLimits() {
    return new TreeMap<>(limits);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this license, e.g. to issue its renewal. */
  public Builder toBuilder() {
    Builder b =
        new Builder()
            .id(id)
            .subscriptionId(subscriptionId)
            .customer(customer)
            .instanceDomain(instanceDomain.orElse(null))
            .tier(tier)
            .seats(seats)
            .features(features)
            .tags(tags)
            .issuedAt(issuedAt)
            .notBefore(notBefore)
            .expiresAt(expiresAt)
            .limits(limits)
            .overagePercent(overagePercent)
            .policy(policy);
    b.extensions.putAll(extensions);
    return b;
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
  }

  /**
   * Builds a license; datetimes are truncated to whole seconds, the precision of the file format.
   */
  public static final class Builder {
    private String id;
    private String subscriptionId;
    private String customer;
    private String instanceDomain;
    private String tier;
    private long seats;
    private final List<String> features = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private Instant issuedAt;
    private Instant notBefore;
    private Instant expiresAt;
    private final Map<String, Long> limits = new LinkedHashMap<>();
    private final Map<String, Integer> overagePercent = new LinkedHashMap<>();
    private LicensePolicy policy = new LicensePolicy("appliance", 60, GraceMode.FULL);
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder subscriptionId(String subscriptionId) {
      this.subscriptionId = subscriptionId;
      return this;
    }

    public Builder customer(String customer) {
      this.customer = customer;
      return this;
    }

    /** The instance the license is bound to, normalized; {@code null} or blank for none. */
    public Builder instanceDomain(String instanceDomain) {
      this.instanceDomain =
          instanceDomain == null || instanceDomain.isBlank()
              ? null
              : InstanceDomain.normalize(instanceDomain);
      return this;
    }

    public Builder tier(String tier) {
      this.tier = tier;
      return this;
    }

    public Builder seats(long seats) {
      this.seats = seats;
      return this;
    }

    public Builder features(List<String> features) {
      this.features.clear();
      this.features.addAll(features);
      return this;
    }

    public Builder feature(String feature) {
      features.add(feature);
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags.clear();
      this.tags.addAll(tags);
      return this;
    }

    public Builder tag(String tag) {
      tags.add(tag);
      return this;
    }

    public Builder issuedAt(Instant issuedAt) {
      this.issuedAt = truncate(issuedAt);
      return this;
    }

    public Builder notBefore(Instant notBefore) {
      this.notBefore = truncate(notBefore);
      return this;
    }

    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = truncate(expiresAt);
      return this;
    }

    public Builder limits(Map<String, Long> limits) {
      this.limits.clear();
      this.limits.putAll(limits);
      return this;
    }

    public Builder limit(String name, long value) {
      limits.put(name, value);
      return this;
    }

    /** Replaces every overage allowance (limit name → percent). */
    public Builder overagePercent(Map<String, Integer> overagePercent) {
      this.overagePercent.clear();
      this.overagePercent.putAll(overagePercent);
      return this;
    }

    /** Lets usage of {@code limit} run {@code percent} % above it before growth is refused. */
    public Builder overagePercent(String limit, int percent) {
      overagePercent.put(limit, percent);
      return this;
    }

    public Builder policy(LicensePolicy policy) {
      this.policy = policy;
      return this;
    }

    public Builder extension(String key, Object value) {
      extensions.put(key, value);
      return this;
    }

    public License build() {
      return new License(
          id,
          subscriptionId,
          customer,
          Optional.ofNullable(instanceDomain),
          tier,
          seats,
          features,
          tags,
          issuedAt,
          notBefore,
          expiresAt,
          limits,
          overagePercent,
          policy,
          extensions);
    }

    private static Instant truncate(Instant instant) {
      return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS);
    }
  }
}
