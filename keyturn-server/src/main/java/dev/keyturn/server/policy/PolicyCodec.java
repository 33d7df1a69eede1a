package dev.keyturn.server.policy;

import dev.keyturn.core.lifecycle.Policy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored JSON of a policy ({@code policies.definition}, {@code licenses.policy_definition}).
 * Decoding is cached by text: the sweep and check-in read the same few policies for every license
 * issued under them, and a license's policy never changes.
 */
public final class PolicyCodec {
  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  /** Enough for every policy and revision a vendor keeps; cleared whole when full. */
  private static final int CACHE_SIZE = 1024;

  private static final Map<String, Policy> DECODED = new ConcurrentHashMap<>();

  private PolicyCodec() {}

  public static String encode(Policy policy) {
    return JSON.writeValueAsString(PolicyDefinition.of(policy));
  }

  /** The policy stored as {@code json}, which the server wrote and core validated. */
  public static Policy decode(String json) {
    Policy known = DECODED.get(json);
    if (known != null) {
      return known;
    }
    PolicyDefinition d = JSON.readValue(json, PolicyDefinition.class);
    Policy policy = d.toPolicy(d.name());
    if (DECODED.size() >= CACHE_SIZE) {
      DECODED.clear();
    }
    DECODED.put(json, policy);
    return policy;
  }
}
