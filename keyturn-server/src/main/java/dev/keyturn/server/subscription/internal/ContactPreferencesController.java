package dev.keyturn.server.subscription.internal;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.ContactPreferences;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.web.OpenApiConfiguration;
import dev.keyturn.server.web.Validator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A contact's mail preferences. Tagged with the payments, where the API document has always listed
 * it.
 */
@RestController
@Tag(name = "Payments", description = "Payments recorded by hand, license gaps, the automation")
class ContactPreferencesController {
  private final SubscriptionService subscriptions;
  private final ContactPreferences preferences;

  ContactPreferencesController(SubscriptionService subscriptions, ContactPreferences preferences) {
    this.subscriptions = subscriptions;
    this.preferences = preferences;
  }

  record Preferences(Boolean muteEarlyReminders) {}

  /** A contact may mute the early reminders (D-30, D-15); D-1, expiry and lock always go out. */
  @PutMapping("/api/v1/subscriptions/{id}/contacts/{email}/preferences")
  @Transactional
  @Operation(
      summary = "Set a contact's mail preferences",
      description =
          "mute_early_reminders mutes D-30 and D-15 for that contact; D-1, expiry and lock always"
              + " go out. ADMIN, SALES, SUPPORT.")
  @ApiResponse(responseCode = "200", description = "The stored preference")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(
      responseCode = "404",
      ref = OpenApiConfiguration.NOT_FOUND,
      description = "No such subscription, or the e-mail is not one of its contacts")
  Map<String, Object> preferences(
      @PathVariable String id, @PathVariable String email, @RequestBody Preferences body) {
    Validator v = new Validator();
    v.check(body.muteEarlyReminders() != null, "mute_early_reminders", "is required");
    v.throwIfAny();
    String stored =
        preferences.muteEarlyReminders(
            subscriptions.get(id), email, body.muteEarlyReminders(), Actor.current().name());
    return Map.of("email", stored, "mute_early_reminders", body.muteEarlyReminders());
  }
}
