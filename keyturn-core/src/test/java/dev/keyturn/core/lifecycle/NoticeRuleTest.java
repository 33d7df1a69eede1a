package dev.keyturn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.license.GraceMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NoticeRuleTest {
  private static final Instant EXPIRES = Instant.parse("2027-11-22T00:00:00Z");

  private static Optional<String> due(Policy policy, String lastNotified, String now) {
    return Lifecycle.noticeDue(
            policy, EXPIRES, Optional.ofNullable(lastNotified), Instant.parse(now))
        .map(Stage::id);
  }

  @Test
  void nothing_is_due_before_the_first_stage() {
    assertThat(due(Policy.APPLIANCE, null, "2027-10-22T23:59:59Z")).isEmpty();
  }

  @Test
  void each_stage_is_due_once_on_crossing() {
    assertThat(due(Policy.APPLIANCE, null, "2027-10-23T00:00:00Z")).contains("D-30");
    assertThat(due(Policy.APPLIANCE, "D-30", "2027-10-23T00:00:00Z")).isEmpty();
    assertThat(due(Policy.APPLIANCE, "D-30", "2027-11-07T00:00:00Z")).contains("D-15");
    assertThat(due(Policy.APPLIANCE, "D-15", "2027-11-10T00:00:00Z")).isEmpty();
  }

  @Test
  void catch_up_after_downtime_sends_only_the_most_urgent_stage() {
    // Down from D-31 to D-3: D-30, D-15 and D-7 were all crossed; only D-7 goes out.
    assertThat(due(Policy.APPLIANCE, null, "2027-11-19T00:00:00Z")).contains("D-7");
    assertThat(due(Policy.APPLIANCE, "D-30", "2027-11-19T00:00:00Z")).contains("D-7");
    assertThat(due(Policy.APPLIANCE, "D-7", "2027-11-19T00:00:00Z")).isEmpty();
  }

  @Test
  void appliance_sends_exactly_six_notices_when_swept_hourly() {
    List<String> sent = new ArrayList<>();
    Optional<String> last = Optional.empty();
    for (Instant t = Instant.parse("2027-10-01T00:00:00Z");
        t.isBefore(Instant.parse("2028-02-01T00:00:00Z"));
        t = t.plus(Duration.ofHours(1))) {
      Optional<Stage> due = Lifecycle.noticeDue(Policy.APPLIANCE, EXPIRES, last, t);
      if (due.isPresent()) {
        sent.add(due.get().id() + "@" + t);
        last = Optional.of(due.get().id());
      }
    }

    assertThat(sent)
        .containsExactly(
            "D-30@2027-10-23T00:00:00Z",
            "D-15@2027-11-07T00:00:00Z",
            "D-7@2027-11-15T00:00:00Z",
            "D-1@2027-11-21T00:00:00Z",
            "EXPIRY@2027-11-22T00:00:00Z",
            "LOCK@2028-01-21T00:00:00Z");
  }

  @Test
  void subscription_sends_d30_d7_d1_expiry_and_suspension() {
    assertThat(Policy.SUBSCRIPTION.stages().stream().filter(Stage::notice).map(Stage::id))
        .containsExactly("D-30", "D-7", "D-1", "EXPIRY", "LOCK");
    assertThat(due(Policy.SUBSCRIPTION, "D-30", "2027-11-10T00:00:00Z")).isEmpty();
    assertThat(due(Policy.SUBSCRIPTION, "EXPIRY", "2027-11-29T00:00:00Z")).contains("LOCK");
  }

  @Test
  void without_grace_expiry_and_lock_coincide_and_lock_wins() {
    Policy noGrace = Policy.APPLIANCE.withGrace(0, GraceMode.FULL);

    assertThat(due(noGrace, "D-1", "2027-11-22T00:00:00Z")).contains("LOCK");
    assertThat(due(noGrace, "LOCK", "2027-11-22T00:00:00Z")).isEmpty();
    assertThat(
            Lifecycle.evaluate(
                    EXPIRES.minusSeconds(86400), EXPIRES, EXPIRES, noGrace, ZoneOffset.UTC)
                .phase())
        .isEqualTo(Phase.LOCKED);
  }

  @Test
  void a_stage_notified_under_an_earlier_policy_is_placed_by_its_name() {
    // The subscription moved from appliance (which had D-15) to subscription: D-15 sent means D-30
    // is not resent.
    assertThat(due(Policy.SUBSCRIPTION, "D-15", "2027-11-10T00:00:00Z")).isEmpty();
    assertThat(due(Policy.SUBSCRIPTION, "D-15", "2027-11-15T00:00:00Z")).contains("D-7");
    assertThatThrownBy(() -> due(Policy.SUBSCRIPTION, "SOMETIME", "2027-11-15T00:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown notice stage 'SOMETIME'");
  }
}
