package dev.keyturn.client;

import static dev.keyturn.client.ClockRollbackTest.events;
import static dev.keyturn.client.Fixtures.EXPIRES;
import static dev.keyturn.client.Fixtures.MID_YEAR;
import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state file deleted, truncated, edited or swapped for an older copy: always detected and
 * audited, never a crash, and never more licensed time than the evidence allows.
 */
class StateTamperTest {
  static final Instant IN_GRACE = EXPIRES.plus(Duration.ofDays(5));

  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(MID_YEAR);

  LicenseManager manager() {
    return Fixtures.manager(dir, keys, clock).build();
  }

  /** A product that ran into grace (audited as it entered it), then stopped. */
  void ranIntoGrace() {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      clock.advance(Duration.between(MID_YEAR, IN_GRACE));
      assertThat(m.standing().phase()).isEqualTo(Phase.GRACE);
    }
  }

  @Test
  void a_fresh_directory_is_not_a_reset() {
    try (LicenseManager m = manager()) {
      assertThat(m.standing().flags()).doesNotContain(StandingFlag.STATE_RESET);
      assertThat(events(m, "state_reset")).isEmpty();
    }
  }

  @Test
  void a_deleted_state_file_with_the_clock_turned_back_grants_no_time() throws IOException {
    ranIntoGrace();
    Files.delete(dir.resolve(StateStore.STATE_FILE));
    clock.set(MID_YEAR);

    try (LicenseManager m = manager()) {
      ClientStanding s = m.standing();

      assertThat(s.has(StandingFlag.STATE_RESET)).isTrue();
      assertThat(s.has(StandingFlag.CLOCK_ROLLBACK)).isTrue();
      assertThat(s.phase()).isEqualTo(Phase.GRACE); // not back to ACTIVE
      assertThat(s.evaluatedAt()).isAfterOrEqualTo(EXPIRES);
      assertThat(events(m, "state_reset"))
          .singleElement()
          .satisfies(e -> assertThat(e.data()).containsEntry("status", "MISSING"));
    }
  }

  @Test
  void a_truncated_state_file_is_detected_and_rebuilt() throws IOException {
    ranIntoGrace();
    Path state = dir.resolve(StateStore.STATE_FILE);
    byte[] bytes = Files.readAllBytes(state);
    Files.write(state, Arrays.copyOf(bytes, bytes.length / 2));

    try (LicenseManager m = manager()) {
      assertThat(m.standing().has(StandingFlag.STATE_RESET)).isTrue();
      assertThat(m.standing().phase()).isEqualTo(Phase.GRACE);
      assertThat(events(m, "state_reset").get(0).data()).containsEntry("status", "UNREADABLE");
    }
    // Rebuilt and signed again: the next start is clean.
    try (LicenseManager m = manager()) {
      assertThat(m.standing().flags()).doesNotContain(StandingFlag.STATE_RESET);
    }
  }

  @Test
  void a_hand_edited_high_water_mark_is_detected_as_forged() throws IOException {
    ranIntoGrace();
    Path state = dir.resolve(StateStore.STATE_FILE);
    String text = Files.readString(state);
    String edited =
        text.replaceAll("\"high_water\":\"[^\"]+\"", "\"high_water\":\"" + MID_YEAR + "\"");
    assertThat(edited).isNotEqualTo(text);
    Files.writeString(state, edited);
    clock.set(MID_YEAR);

    try (LicenseManager m = manager()) {
      ClientStanding s = m.standing();
      assertThat(s.has(StandingFlag.STATE_RESET)).isTrue();
      assertThat(s.phase()).isEqualTo(Phase.GRACE);
      assertThat(events(m, "state_reset").get(0).data()).containsEntry("status", "FORGED");
    }
  }

  @Test
  void a_deleted_secret_makes_the_state_unverifiable_and_is_handled_like_forgery()
      throws IOException {
    ranIntoGrace();
    Files.delete(dir.resolve(StateStore.KEY_FILE));

    try (LicenseManager m = manager()) {
      assertThat(m.standing().has(StandingFlag.STATE_RESET)).isTrue();
      assertThat(events(m, "state_reset").get(0).data()).containsEntry("status", "FORGED");
      assertThat(Files.exists(dir.resolve(StateStore.KEY_FILE))).isTrue();
    }
  }

  @Test
  void an_older_copy_of_the_state_put_back_while_running_is_detected() throws IOException {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      Path state = dir.resolve(StateStore.STATE_FILE);
      byte[] old = Files.readAllBytes(state);
      clock.advance(Duration.ofHours(1));
      m.refresh(); // persists the newer high-water mark
      Files.write(state, old);
      clock.advance(Duration.ofHours(1));
      m.refresh();

      assertThat(events(m, "state_reset"))
          .singleElement()
          .satisfies(e -> assertThat(e.data()).containsEntry("status", "REPLAYED"));
      assertThat(m.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void garbage_in_every_file_does_not_crash_the_product() throws IOException {
    ranIntoGrace();
    Files.writeString(dir.resolve(StateStore.STATE_FILE), "{\"state\":", StandardCharsets.UTF_8);
    Files.write(dir.resolve(StateStore.KEY_FILE), new byte[] {1, 2, 3});
    Files.writeString(dir.resolve(AuditLog.FILE), "not json\n{]\n", StandardCharsets.UTF_8);

    try (LicenseManager m = manager()) {
      ClientStanding s = m.standing();
      assertThat(s.has(StandingFlag.STATE_RESET)).isTrue();
      assertThat(s.license()).isPresent();
    }
  }
}
