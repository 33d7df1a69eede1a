package dev.keyturn.client;

import static dev.keyturn.client.ClockRollbackTest.events;
import static dev.keyturn.client.Fixtures.MID_YEAR;
import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.lifecycle.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other processes, broken disks, bad configuration: clear errors, and the product keeps going. */
class RobustnessTest {
  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(MID_YEAR);

  @Test
  void a_license_installed_by_another_process_is_picked_up_on_refresh() {
    try (LicenseManager product = Fixtures.manager(dir, keys, clock).build();
        LicenseManager cli = Fixtures.manager(dir, keys, clock).build()) {
      assertThat(product.mode()).isEqualTo(Mode.LOCKED);

      assertThat(cli.install(keys.sign(acme().build())).installed()).isTrue();
      product.refresh();

      assertThat(product.mode()).isEqualTo(Mode.FULL);
      assertThat(AuditLog.verify(dir).intact()).isTrue();
    }
  }

  @Test
  void a_state_file_that_cannot_be_written_does_not_take_the_product_down() throws IOException {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().build()));
      Path state = dir.resolve(StateStore.STATE_FILE);
      Files.delete(state);
      Files.createDirectory(state);
      Files.writeString(state.resolve("blocker"), "x"); // a rename can no longer replace it

      clock.advance(Duration.ofDays(1));
      ClientStanding s = m.standing();

      assertThat(s.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("sso")).isTrue();
      assertThat(m.dismiss().outcome()).isEqualTo(DismissResult.Outcome.NOTHING_TO_DISMISS);
    }
  }

  @Test
  void a_deleted_license_file_is_not_forgotten_while_running() throws IOException {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().build()));
      try (Stream<Path> files = Files.list(dir.resolve("licenses"))) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      m.refresh();
      assertThat(m.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void an_audit_log_cut_short_is_noticed_at_start() throws IOException {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().build()));
      m.install("garbage");
    }
    Path log = dir.resolve(AuditLog.FILE);
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, lines.size() - 1));

    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      assertThat(events(m, "audit_log_broken"))
          .singleElement()
          .satisfies(e -> assertThat(e.data().get("detail").toString()).contains("is missing"));
    }
    // Noticed once: the state now records the log as it is.
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      assertThat(events(m, "audit_log_broken")).hasSize(1);
    }
  }

  @Test
  void a_read_only_manager_creates_nothing() throws IOException {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().build()));
    }
    Files.delete(dir.resolve(StateStore.STATE_FILE));
    Files.delete(dir.resolve(StateStore.KEY_FILE));
    Files.delete(dir.resolve(StateStore.LOCK_FILE));
    List<String> before = listing();

    try (LicenseManager m = Fixtures.manager(dir, keys, clock).readOnly(true).build()) {
      assertThat(m.standing().flags()).contains(StandingFlag.STATE_RESET);
      assertThat(m.mode()).isEqualTo(Mode.FULL);
    }
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  void a_failing_usage_probe_fails_the_install_with_a_clear_error_and_changes_nothing() {
    try (LicenseManager m =
        Fixtures.manager(dir, keys, clock)
            .usage(
                () -> {
                  throw new IllegalStateException("database down");
                })
            .build()) {
      assertThatThrownBy(() -> m.install(keys.sign(acme().build())))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("usage probe failed")
          .hasMessageContaining("database down");
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
    }
  }

  @Test
  void the_builder_names_what_is_missing_or_out_of_range() {
    assertThatThrownBy(() -> LicenseManager.builder().trustedKeys(keys.ring()).build())
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("stateDir is required");
    assertThatThrownBy(
            () -> LicenseManager.builder().stateDir(dir).trustedKeys(KeyRing.of(Map.of())).build())
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("at least one public key");
    assertThatThrownBy(
            () -> Fixtures.manager(dir, keys, clock).rollbackTolerance(Duration.ofDays(30)).build())
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("rollbackTolerance must be between 0 and PT168H");
    assertThatThrownBy(() -> LicenseManager.builder().instanceDomain("not a host!"))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("instanceDomain");
  }

  @Test
  void a_read_only_manager_needs_an_existing_state_directory() {
    assertThatThrownBy(
            () -> Fixtures.manager(dir.resolve("absent"), keys, clock).readOnly(true).build())
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("no state directory");
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
