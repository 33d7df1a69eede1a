package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  static final Instant START = Instant.parse("2027-01-10T09:00:00Z");

  @TempDir Path dir;

  private LicenseManager manager(Demo demo) {
    LicenseManager licenses =
        LicenseManager.builder()
            .stateDir(dir.resolve("license"))
            .trustedKeys(demo.trustedKeys())
            .clock(demo.clock())
            .background(false)
            .build();
    demo.attach(licenses);
    return licenses;
  }

  @Test
  void starts_with_a_license_that_expires_in_31_days() {
    Demo demo = Demo.create(new SettableClock(START), dir.resolve("keys"), "appliance");
    try (LicenseManager licenses = manager(demo)) {
      assertThat(licenses.standing().phase()).isEqualTo(Phase.ACTIVE);
      assertThat(licenses.standing().expiresAt()).contains(START.plus(Duration.ofDays(31)));
      assertThat(demo.milestones())
          .extracting(Demo.Milestone::id)
          .containsExactly("D-30", "D-15", "D-7", "D-1", "EXPIRY", "LOCK");
    }
  }

  @Test
  void jumps_through_the_stages_and_refuses_to_go_back() {
    Demo demo = Demo.create(new SettableClock(START), dir.resolve("keys"), "subscription");
    try (LicenseManager licenses = manager(demo)) {
      demo.jumpTo("EXPIRY");
      assertThat(licenses.mode()).isEqualTo(Mode.READ_ONLY);
      assertThatThrownBy(() -> demo.jumpTo("D-7")).hasMessageContaining("not ahead any more");
      demo.jumpTo("LOCK");
      assertThat(licenses.mode()).isEqualTo(Mode.LOCKED);

      assertThat(licenses.install(demo.tamperedRenewal()).code().name())
          .isEqualTo("SIGNATURE_MISMATCH");
      assertThat(licenses.install(demo.renewal()).installed()).isTrue();
      assertThat(licenses.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void refuses_an_unknown_preset_and_silly_jumps() {
    assertThatThrownBy(() -> Demo.create(new SettableClock(START), dir.resolve("k"), "gold"))
        .hasMessageContaining("appliance or subscription");
    Demo demo = Demo.create(new SettableClock(START), dir.resolve("keys"), "appliance");
    try (LicenseManager licenses = manager(demo)) {
      assertThatThrownBy(() -> demo.advanceDays(0)).hasMessageContaining("1 to 800 days");
      assertThat(licenses.standing().evaluatedAt()).isEqualTo(START);
    }
  }
}
