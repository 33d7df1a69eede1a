package dev.keyturn.server.subscription;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.Map;

/**
 * A subscription as stored: its editable {@link SubscriptionFields} and what the server keeps about
 * it (binding, check-in, archival). Serialized flat.
 *
 * @param boundInstanceId the instance that checked in first; the only one allowed to check in
 * @param lastCheckIn what that instance reported last (instance domain, usage, client version)
 * @param requiresUpfrontPayment set by the third grace period within twelve months
 * @param lifecyclePhase the phase of the current license as the sweep last applied it
 * @param nextTransitionAt when the sweep looks at the subscription next
 * @param overagePercent limit name → how far usage may run above it, in percent, signed into each
 *     license issued from now on (issue 18); empty: no allowance
 */
public record Subscription(
    String id,
    @JsonUnwrapped SubscriptionFields fields,
    String boundInstanceId,
    Instant boundAt,
    Instant lastCheckInAt,
    Map<String, Object> lastCheckIn,
    Instant createdAt,
    Instant updatedAt,
    Instant archivedAt,
    String archivedBy,
    String archiveReason,
    boolean requiresUpfrontPayment,
    String lifecyclePhase,
    Instant nextTransitionAt,
    Map<String, Integer> overagePercent) {

  public boolean archived() {
    return archivedAt != null;
  }
}
