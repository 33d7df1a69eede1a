package dev.keyturn.client;

/**
 * One limit a license would lower below what is in use.
 *
 * @param limit the limit's name, as in {@code [license.limits]} (or {@code seats})
 * @param usage current usage, from the product's usage probe
 * @param newValue the value the rejected license sets
 */
public record LimitExcess(String limit, long usage, long newValue) {
  @Override
  public String toString() {
    return limit + ": " + usage + " in use, the new license allows " + newValue;
  }
}
