package dev.keyturn.server.policy;

import dev.keyturn.core.lifecycle.Policy;
import java.time.Instant;
import java.util.List;

/**
 * A named policy as the server keeps it. The presets are built in: revision 0, no author, never
 * stored.
 *
 * @param revision counts edits; a license records the revision it was issued under
 * @param tiers the tiers whose new subscriptions get this policy when they name none
 */
public record StoredPolicy(
    Policy policy,
    boolean builtIn,
    int revision,
    List<String> tiers,
    Instant createdAt,
    String createdBy,
    Instant updatedAt,
    String updatedBy) {

  public String name() {
    return policy.name();
  }

  static StoredPolicy builtIn(Policy preset) {
    return new StoredPolicy(preset, true, 0, List.of(), null, null, null, null);
  }
}
