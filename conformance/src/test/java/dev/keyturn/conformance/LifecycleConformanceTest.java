package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.PolicyRules;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.LockAction;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The lifecycle engine passes its own vectors, with policies built from the vectors' JSON. */
class LifecycleConformanceTest {
  private static final JsonNode VECTORS = CommittedVectors.read("lifecycle.json");

  @Test
  void policies_built_from_their_json_have_the_listed_stages() {
    VECTORS
        .path("policies")
        .fields()
        .forEachRemaining(
            e -> {
              Policy policy = policy(e.getKey());
              JsonNode stages = e.getValue().path("stages");
              assertThat(policy.stages()).hasSize(stages.size());
              for (int i = 0; i < stages.size(); i++) {
                Stage s = policy.stages().get(i);
                JsonNode want = stages.get(i);
                assertThat(s.id()).isEqualTo(want.path("id").asText());
                assertThat(s.offset().toSeconds()).isEqualTo(want.path("offset_seconds").asLong());
                assertThat(s.phase().name()).isEqualTo(want.path("phase").asText());
                assertThat(s.level().name()).isEqualTo(want.path("level").asText());
                assertThat(s.dismissal().name()).isEqualTo(want.path("dismissal").asText());
                assertThat(s.notice()).isEqualTo(want.path("notice").asBoolean());
              }
            });
  }

  @TestFactory
  Stream<DynamicTest> standing_at_every_instant_and_zone() {
    return cases("standing")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      Standing s =
                          Lifecycle.evaluate(
                              Instant.parse(c.path("not_before").asText()),
                              Instant.parse(c.path("expires_at").asText()),
                              Instant.parse(c.path("at").asText()),
                              policy(c.path("policy").asText()),
                              ZoneId.of(c.path("zone").asText()));
                      assertThat(CommittedVectors.parse(LifecycleVectors.standingJson(s)))
                          .isEqualTo(c.path("expected"));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> notice_due_given_what_was_sent() {
    return cases("notice_due")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      Policy policy = policy(c.path("policy").asText());
                      Instant expiresAt = Instant.parse(c.path("expires_at").asText());
                      Optional<String> last = text(c.path("last_notified"));
                      Instant at = Instant.parse(c.path("at").asText());
                      JsonNode expected = c.path("expected");
                      if (expected.path("error").isNull()) {
                        assertThat(Lifecycle.noticeDue(policy, expiresAt, last, at).map(Stage::id))
                            .isEqualTo(text(expected.path("stage")));
                      } else {
                        assertThatThrownBy(() -> Lifecycle.noticeDue(policy, expiresAt, last, at))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessage(expected.path("error").asText());
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> the_policy_builder_refuses_what_the_vectors_refuse() {
    return cases("policy_errors")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      JsonNode expected = c.path("expected");
                      if (expected.path("error").isNull()) {
                        Policy built = build(c.path("policy"));
                        assertThat(CommittedVectors.parse(PolicyJson.of(built)))
                            .isEqualTo(expected.path("policy"));
                      } else {
                        assertThatThrownBy(() -> build(c.path("policy")))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessage(expected.path("error").asText());
                      }
                    }));
  }

  private static Stream<JsonNode> cases(String field) {
    return StreamSupport.stream(VECTORS.path(field).spliterator(), false);
  }

  /** A policy of the file: from the license's signed policy when given, else from the builder. */
  private static Policy policy(String name) {
    JsonNode p = VECTORS.path("policies").path(name);
    JsonNode from = p.path("from_license_policy");
    if (!from.isNull()) {
      return Policy.forLicense(licensePolicy(from));
    }
    return build(p);
  }

  /** A signed [license.policy] as the vectors give it: a preset, or a format-2 whole policy. */
  private static LicensePolicy licensePolicy(JsonNode from) {
    GraceMode mode = GraceMode.fromTomlName(from.path("grace_mode").asText()).orElseThrow();
    if (from.has("preset")) {
      return new LicensePolicy(from.path("preset").asText(), from.path("grace_days").asInt(), mode);
    }
    List<PolicyRules.Reminder> reminders = new ArrayList<>();
    for (JsonNode r : from.path("reminders")) {
      reminders.add(
          new PolicyRules.Reminder(
              r.path("days_before").asInt(),
              r.path("banner").asText(),
              r.path("dismissal").asText(),
              strings(r.path("notify"))));
    }
    PolicyRules rules =
        new PolicyRules(
            from.path("name").asText(),
            from.path("lock_action").asText(),
            reminders,
            strings(from.path("expiry_notify")),
            strings(from.path("lock_notify")));
    return LicensePolicy.custom(rules, from.path("grace_days").asInt(), mode);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<Recipient> recipients(JsonNode array) {
    Set<Recipient> out = EnumSet.noneOf(Recipient.class);
    array.forEach(n -> out.add(Recipient.valueOf(n.asText())));
    return out;
  }

  private static Policy build(JsonNode p) {
    Policy.Builder b = Policy.builder(p.path("name").asText());
    for (JsonNode r : p.path("reminders")) {
      int days = r.path("days_before").asInt();
      BannerLevel level = BannerLevel.valueOf(r.path("level").asText());
      Dismissal dismissal = Dismissal.valueOf(r.path("dismissal").asText());
      if (r.has("notify")) {
        b.reminder(days, level, dismissal, recipients(r.path("notify")));
      } else {
        b.reminder(days, level, dismissal);
      }
    }
    if (p.has("expiry_notify")) {
      b.expiryNotify(recipients(p.path("expiry_notify")))
          .lockNotify(recipients(p.path("lock_notify")));
    }
    return b.grace(
            p.path("grace_days").asInt(),
            GraceMode.fromTomlName(p.path("grace_mode").asText()).orElseThrow())
        .lockAction(LockAction.valueOf(p.path("lock_action").asText()))
        .build();
  }

  private static Optional<String> text(JsonNode node) {
    return node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }
}
