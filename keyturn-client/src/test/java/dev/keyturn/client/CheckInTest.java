package dev.keyturn.client;

import static dev.keyturn.client.ClockRollbackTest.events;
import static dev.keyturn.client.Fixtures.EXPIRES;
import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.client.checkin.CheckInSettings;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckInTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(EXPIRES.minus(Duration.ofDays(10)));
  final FakeCheckInServer server = new FakeCheckInServer();
  final String current = keys.sign(acme().build());

  @AfterEach
  void stop() {
    server.close();
  }

  LicenseManager manager() {
    return Fixtures.manager(dir, keys, clock)
        .usage(() -> Map.of("users", 42L))
        .checkIn(CheckInSettings.builder(server.uri()).timeout(Duration.ofSeconds(5)).build())
        .build();
  }

  LicenseManager installed() {
    LicenseManager m = manager();
    assertThat(m.install(current).installed()).isTrue();
    return m;
  }

  String ok(String license, String after) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("standing").put("phase", "EXPIRING");
    body.put("revoked", false);
    if (license == null) {
      body.putNull("license");
    } else {
      body.put("license", license);
    }
    body.put("check_in_after", after);
    return JSON.writeValueAsString(body);
  }

  @Test
  void speaks_the_wire_contract() throws Exception {
    try (LicenseManager m = installed()) {
      server.answer(200, ok(null, "PT12H"));
      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).as(r.message()).isEqualTo(CheckInResult.Outcome.OK);
      FakeCheckInServer.Received req = server.last();
      assertThat(req.method()).isEqualTo("POST");
      assertThat(req.path()).isEqualTo("/api/v1/check-in");
      assertThat(req.contentType()).isEqualTo("application/json");
      byte[] signature = new LicenseReader().read(current).signature().bytes();
      String hash =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(signature));
      assertThat(req.authorization()).isEqualTo("Bearer kt_lic_" + hash);
      JsonNode body = JSON.readTree(req.body());
      assertThat(body.get("license_id").asText()).isEqualTo("lic_01JD3ACME");
      assertThat(body.get("instance_id").asText()).startsWith("ki_");
      assertThat(body.get("instance_domain").asText()).isEqualTo(Fixtures.DOMAIN);
      assertThat(body.get("usage").get("users").asLong()).isEqualTo(42);
      assertThat(body.get("client_version").asText())
          .isEqualTo(CheckInSettings.DEFAULT_CLIENT_VERSION);
      assertThat(r.nextCheckIn()).isEqualTo(Duration.ofHours(12));
    }
  }

  @Test
  void every_node_of_a_multi_node_installation_sends_its_installation_id_and_node()
      throws Exception {
    for (String node : new String[] {"node-a", "node-b.eu-west:2"}) {
      try (LicenseManager m =
          Fixtures.manager(dir.resolve(node), keys, clock)
              .checkIn(
                  CheckInSettings.builder(server.uri())
                      .installationId("acme-prod-cluster")
                      .node(node)
                      .build())
              .build()) {
        assertThat(m.install(current).installed()).isTrue();
        server.answer(200, ok(null, "PT12H"));
        assertThat(m.checkIn().outcome()).isEqualTo(CheckInResult.Outcome.OK);
        assertThat(m.exportUsageReport().verify().installationId())
            .as("a usage report names the installation the check-ins name")
            .isEqualTo("acme-prod-cluster");
      }
      JsonNode body = JSON.readTree(server.last().body());
      assertThat(body.get("instance_id").asText()).isEqualTo("acme-prod-cluster");
      assertThat(body.get("node").asText()).isEqualTo(node);
    }
    assertThat(Files.exists(dir.resolve("node-a").resolve(LicenseManager.INSTANCE_ID_FILE)))
        .as("no per-node id file when the installation id is configured")
        .isFalse();
  }

  @Test
  void a_single_node_sends_no_node_field() throws Exception {
    try (LicenseManager m = installed()) {
      server.answer(200, ok(null, "PT12H"));
      m.checkIn();
    }
    assertThat(JSON.readTree(server.last().body()).has("node")).isFalse();
  }

  @Test
  void the_instance_id_stays_the_same_across_restarts() throws Exception {
    try (LicenseManager m = installed()) {
      m.checkIn();
    }
    try (LicenseManager m = manager()) {
      m.checkIn();
    }
    assertThat(JSON.readTree(server.received.get(0).body()).get("instance_id"))
        .isEqualTo(JSON.readTree(server.received.get(1).body()).get("instance_id"));
  }

  @Test
  void a_renewed_license_in_the_answer_installs_itself() throws Exception {
    try (LicenseManager m = installed()) {
      assertThat(m.standing().phase()).isEqualTo(Phase.EXPIRING);
      server.answer(200, ok(keys.sign(Fixtures.renewal().build()), "PT6H"));

      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).as(r.message()).isEqualTo(CheckInResult.Outcome.RENEWED);
      assertThat(r.install().orElseThrow().code()).isEqualTo(VerificationCode.VALID);
      assertThat(r.nextCheckIn()).isEqualTo(Duration.ofHours(6));
      ClientStanding s = m.standing();
      assertThat(s.license().orElseThrow().id()).isEqualTo("lic_01JD4ACME");
      assertThat(s.phase()).isEqualTo(Phase.ACTIVE);
      assertThat(events(m, "installed")).hasSize(2);

      CheckInResult again = m.checkIn();
      assertThat(again.outcome()).isEqualTo(CheckInResult.Outcome.OK);
    }
  }

  @Test
  void a_license_sent_by_the_server_goes_through_the_same_checks() throws Exception {
    try (LicenseManager m = installed()) {
      String forged = Fixtures.keys("evil").sign(Fixtures.renewal().build());
      server.answer(200, ok(forged, "PT12H"));

      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).isEqualTo(CheckInResult.Outcome.LICENSE_REJECTED);
      assertThat(r.install().orElseThrow().code()).isEqualTo(VerificationCode.UNKNOWN_KEY_ID);
      assertThat(m.standing().license().orElseThrow().id()).isEqualTo("lic_01JD3ACME");
    }
  }

  @Test
  void revocation_locks_until_another_license_is_installed_and_survives_restarts()
      throws Exception {
    try (LicenseManager m = installed()) {
      server.answer(403, "{\"revoked\":true,\"reason\":\"chargeback\"}");

      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).isEqualTo(CheckInResult.Outcome.REVOKED);
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
      assertThat(m.allows("sso")).isFalse();
      ClientStanding s = m.standing();
      assertThat(s.flags()).contains(StandingFlag.REVOKED);
      assertThat(s.phase()).isEqualTo(Phase.LOCKED);
      assertThat(s.banner().text()).contains("chargeback");
      assertThat(m.install(current).code()).isEqualTo(VerificationCode.REVOKED);
    }
    try (LicenseManager m = manager()) {
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
    }
    // Even a lost state file does not forget: revocations are rebuilt from the audit log.
    Files.delete(dir.resolve(StateStore.STATE_FILE));
    try (LicenseManager m = manager()) {
      assertThat(m.standing().flags()).contains(StandingFlag.REVOKED, StandingFlag.STATE_RESET);
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);

      InstallResult other = m.install(keys.sign(Fixtures.renewal().build()));
      assertThat(other.installed()).as(other.message()).isTrue();
      assertThat(m.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void a_403_that_is_not_a_revocation_changes_nothing() {
    try (LicenseManager m = installed()) {
      server.answer(403, "<html>forbidden by proxy</html>");
      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).isEqualTo(CheckInResult.Outcome.SERVER_ERROR);
      assertThat(m.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void a_conflict_is_flagged_without_locking_and_cleared_by_the_next_good_answer()
      throws Exception {
    try (LicenseManager m = installed()) {
      server.answer(409, "");
      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).isEqualTo(CheckInResult.Outcome.INSTANCE_CONFLICT);
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.standing().flags()).contains(StandingFlag.INSTANCE_CONFLICT);
      assertThat(m.standing().banner().text()).contains("another installation");

      server.answer(200, ok(null, "PT12H"));
      m.checkIn();
      assertThat(m.standing().flags()).doesNotContain(StandingFlag.INSTANCE_CONFLICT);
    }
  }

  @Test
  void an_unknown_license_changes_nothing() {
    try (LicenseManager m = installed()) {
      server.answer(401, "");
      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).isEqualTo(CheckInResult.Outcome.UNKNOWN_LICENSE);
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.standing().flags()).isEmpty();
    }
  }

  @Test
  void a_failing_payment_is_shown_until_the_server_says_otherwise() throws Exception {
    try (LicenseManager m = installed()) {
      server.answer(
          200,
          "{\"standing\":{\"payment_failing\":true,\"message\":\"Payment failed: update your card.\"},"
              + "\"revoked\":false,\"license\":null,\"check_in_after\":\"PT1H\"}");
      m.checkIn();
      ClientStanding s = m.standing();
      assertThat(s.flags()).contains(StandingFlag.PAYMENT_FAILING);
      assertThat(s.banner().text()).startsWith("Payment failed: update your card.");
      assertThat(s.mode()).isEqualTo(Mode.FULL);

      server.answer(200, ok(null, "PT12H"));
      m.checkIn();
      assertThat(m.standing().flags()).doesNotContain(StandingFlag.PAYMENT_FAILING);
    }
  }

  @Test
  void an_outage_changes_nothing_and_retries_later() throws IOException {
    try (LicenseManager m = installed()) {
      ClientStanding before = m.standing();
      long auditLines = Files.readAllLines(dir.resolve("audit.log")).size();
      server.close();

      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).isEqualTo(CheckInResult.Outcome.NETWORK_FAILURE);
      assertThat(r.nextCheckIn()).isEqualTo(CheckInSettings.DEFAULT_RETRY_AFTER_FAILURE);
      assertThat(m.standing().license()).isEqualTo(before.license());
      assertThat(m.standing().flags()).isEqualTo(before.flags());
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(Files.readAllLines(dir.resolve("audit.log"))).hasSize((int) auditLines);
    }
  }

  @Test
  void a_server_error_changes_nothing() {
    try (LicenseManager m = installed()) {
      server.answer(500, "oops");
      CheckInResult r = m.checkIn();

      assertThat(r.outcome()).isEqualTo(CheckInResult.Outcome.SERVER_ERROR);
      assertThat(m.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void the_server_cannot_ask_for_check_ins_more_often_than_a_minute() throws Exception {
    try (LicenseManager m = installed()) {
      server.answer(200, ok(null, "PT1S"));
      assertThat(m.checkIn().nextCheckIn()).isEqualTo(CheckInSettings.MIN_INTERVAL);
    }
  }

  @Test
  void without_settings_or_license_there_is_nothing_to_check_in() {
    try (LicenseManager m = manager()) {
      assertThat(m.checkIn().outcome()).isEqualTo(CheckInResult.Outcome.NO_LICENSE);
    }
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      assertThat(m.checkIn().outcome()).isEqualTo(CheckInResult.Outcome.NOT_CONFIGURED);
    }
    assertThat(server.received).isEmpty();
  }

  @Test
  void the_background_thread_checks_in_at_start() throws Exception {
    installed().close();
    try (LicenseManager m =
        Fixtures.manager(dir, keys, clock)
            .checkIn(CheckInSettings.builder(server.uri()).build())
            .background(true)
            .build()) {
      assertThat(server.firstRequest.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.last().path()).isEqualTo("/api/v1/check-in");
      assertThat(m.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void check_in_files_are_the_only_new_files() throws IOException {
    try (LicenseManager m = installed()) {
      m.checkIn();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              ".lock",
              "audit.log",
              "installation.private.pem",
              "installation.public.pem",
              "instance.id",
              "licenses",
              "state.json",
              "state.key");
    }
  }
}
