package dev.keyturn.server.policy.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.server.policy.Policies;
import dev.keyturn.server.policy.PolicyDefinition;
import dev.keyturn.server.policy.StoredPolicy;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.OpenApiConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/policies}: the named lifecycle policies (issue 21). */
@RestController
@Tag(
    name = "Policies",
    description =
        "Lifecycle policies by name: reminder stages (banner, dismissal, who is told), grace and"
            + " the lock. A license carries the whole policy it was issued under.")
class PolicyController {
  private final Policies policies;

  PolicyController(Policies policies) {
    this.policies = policies;
  }

  /**
   * A policy as the API shows it: its definition (the keys of a license file's {@code
   * [license.policy]}), and the stages core derives from it.
   *
   * @param subscriptions how many subscriptions name it
   */
  record PolicyView(
      String name,
      boolean builtIn,
      int revision,
      List<String> tiers,
      PolicyDefinition definition,
      List<StageView> stages,
      int subscriptions,
      Instant createdAt,
      String createdBy,
      Instant updatedAt,
      String updatedBy) {}

  /**
   * A stage of the policy.
   *
   * @param offsetDays from the expiry: negative for reminders, the grace length for the lock
   */
  record StageView(
      String id,
      long offsetDays,
      String phase,
      String banner,
      String dismissal,
      @JsonProperty("notify") List<String> recipients) {}

  /** What PUT takes: the definition and the tiers whose new subscriptions get the policy. */
  record PolicyRequest(
      List<PolicyDefinition.ReminderDefinition> reminders,
      Integer graceDays,
      String graceMode,
      String lockAction,
      List<String> expiryNotify,
      List<String> lockNotify,
      List<String> tiers) {}

  @GetMapping("/api/v1/policies")
  @Operation(
      summary = "List the policies",
      description = "The built-in presets (appliance, subscription) first, then the vendor's own.")
  List<PolicyView> list() {
    return policies.all().stream().map(this::view).toList();
  }

  @GetMapping("/api/v1/policies/{name}")
  @Operation(summary = "Show a policy, with the stages it gives")
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  PolicyView get(@PathVariable String name) {
    return view(
        policies.find(name).orElseThrow(() -> KeyturnServerException.notFound("policy", name)));
  }

  @PutMapping("/api/v1/policies/{name}")
  @Operation(
      summary = "Create or replace a policy",
      description =
          "Validated by keyturn-core: reminders 1 to 365 days before expiry, each at least as"
              + " insistent as the one before (a stage that would grow less insistent is refused,"
              + " named), grace 0 to 3650 days. Licenses already issued keep the policy they carry;"
              + " only licenses issued afterwards follow the change (re-issue with POST"
              + " /api/v1/policies/{name}/reissue). The presets cannot change. Audited as"
              + " policy.created or policy.updated. ADMIN.")
  @ApiResponse(responseCode = "200", description = "The policy as saved, with its new revision")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.CONFLICT)
  PolicyView put(@PathVariable String name, @RequestBody PolicyRequest body) {
    PolicyDefinition definition =
        new PolicyDefinition(
            name,
            body.reminders(),
            body.graceDays(),
            body.graceMode(),
            body.lockAction(),
            body.expiryNotify(),
            body.lockNotify());
    return view(policies.save(name, definition, body.tiers(), Actor.current()));
  }

  @DeleteMapping("/api/v1/policies/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(
      summary = "Delete a policy",
      description =
          "Refused with policy.in_use while a subscription names it. Audited as policy.deleted."
              + " ADMIN.")
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.CONFLICT)
  ResponseEntity<Void> delete(@PathVariable String name) {
    policies.delete(name, Actor.current());
    return ResponseEntity.noContent().build();
  }

  private PolicyView view(StoredPolicy p) {
    Policy policy = p.policy();
    List<StageView> stages =
        policy.stages().stream()
            .map(
                (Stage s) ->
                    new StageView(
                        s.id(),
                        s.offset().toDays(),
                        s.phase().name(),
                        s.level().name(),
                        s.dismissal().name(),
                        s.recipients().stream().map(Recipient::tomlName).toList()))
            .toList();
    return new PolicyView(
        p.name(),
        p.builtIn(),
        p.revision(),
        p.tiers(),
        PolicyDefinition.of(policy),
        stages,
        policies.subscriptionsUsing(p.name()).size(),
        p.createdAt(),
        p.createdBy(),
        p.updatedAt(),
        p.updatedBy());
  }
}
