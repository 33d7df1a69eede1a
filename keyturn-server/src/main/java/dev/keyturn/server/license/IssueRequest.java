package dev.keyturn.server.license;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What to issue for a subscription; everything else (customer, tier, features, limits, instance,
 * policy) comes from the subscription.
 *
 * @param notBefore start of validity; now when absent
 * @param expiresAt end of validity; give this or {@code duration}
 * @param duration length of validity from {@code notBefore} (ISO-8601, e.g. {@code P365D})
 * @param seats overrides the subscription's seats (0 = unlimited)
 * @param tags e.g. {@code trial}, {@code internal}, {@code dev}, {@code test}
 * @param notifyContacts {@code "notify"} in JSON: mail the license (the {@code .license.toml}
 *     attached) to the subscription's contacts, like an automatic one; true when absent
 */
public record IssueRequest(
    Instant notBefore,
    Instant expiresAt,
    Duration duration,
    Long seats,
    List<String> tags,
    @JsonProperty("notify")
        @Schema(
            name = "notify",
            description =
                "Mail the license (its .license.toml attached) to the subscription's contacts;"
                    + " true when absent. The license.issued webhook goes out either way.",
            defaultValue = "true")
        Boolean notifyContacts) {

  /** For callers that deliver the license themselves (automatic issuance, billing): no mail. */
  public IssueRequest(
      Instant notBefore, Instant expiresAt, Duration duration, Long seats, List<String> tags) {
    this(notBefore, expiresAt, duration, seats, tags, false);
  }

  /** Whether issuing mails the license: unless the request says {@code "notify": false}. */
  public boolean mailsContacts() {
    return notifyContacts == null || notifyContacts;
  }
}
