package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.OnH2;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The console's Policies page over HTTP, as the form posts it. */
@OnH2
class PolicyPagesH2Test extends ServerTest {
  private ConsoleSession signedIn(Role role) {
    as(role);
    return role == Role.ADMIN
        ? ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD)
        : ConsoleSession.signIn(port, username(role), USER_PASSWORD);
  }

  private static Map<String, String> partnerForm(String name, String csrf) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("_csrf", csrf);
    f.put("name", name);
    f.put("r0_days", "30");
    f.put("r0_banner", "info");
    f.put("r0_dismissal", "until-next-stage");
    f.put("r0_notify_customer", "on");
    f.put("r1_days", "15");
    f.put("r1_banner", "warning");
    f.put("r1_dismissal", "for-24h");
    f.put("r1_notify_account-team", "on");
    f.put("r2_days", "");
    f.put("grace_days", "90");
    f.put("grace_mode", "read-only");
    f.put("lock_action", "lock");
    f.put("expiry_notify_customer", "on");
    f.put("lock_notify_customer", "on");
    f.put("tiers", "");
    return f;
  }

  @Test
  void
      an_admin_adds_a_policy_sees_its_stages_and_preview_and_is_told_edits_reach_new_licenses_only() {
    ConsoleSession admin = signedIn(Role.ADMIN);
    String name = "console-" + UUID.randomUUID().toString().substring(0, 8);

    HttpResponse<String> saved =
        admin.post("/console/policies", partnerForm(name, admin.csrfOf("/console/policies/new")));

    assertThat(saved.statusCode()).isEqualTo(302);
    String page = admin.get("/console/policies/" + name).body();
    assertThat(page)
        .contains("Policy " + name)
        .contains("revision 1")
        .contains("account-team")
        .contains("Lifecycle preview")
        .contains("Editing this policy changes only licenses issued afterwards");
    assertThat(admin.get("/console/policies").body()).contains(name).contains("appliance");
    assertThat(admin.get("/console/subscriptions/new").body())
        .as("the subscription form offers it")
        .contains("<option value=\"" + name + "\"");
    JsonPolicy api = new JsonPolicy(admin().get("/api/v1/policies/" + name).body());
    assertThat(api.body).contains("\"grace_days\":90").contains("\"notify\":[\"account-team\"]");
  }

  @Test
  void a_policy_that_grows_less_insistent_is_shown_again_with_the_stage_named_and_not_saved() {
    ConsoleSession admin = signedIn(Role.ADMIN);
    String name = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> form = partnerForm(name, admin.csrfOf("/console/policies/new"));
    form.put("r1_banner", "info");
    form.put("r1_dismissal", "until-next-stage");
    form.put("r0_banner", "danger");

    HttpResponse<String> refused = admin.post("/console/policies", form);

    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body())
        .contains("Nothing was saved")
        .contains("reminder D-15 is less insistent than D-30");
    assertThat(admin().get("/api/v1/policies/" + name).status()).isEqualTo(404);
  }

  @Test
  void sales_may_reissue_but_not_edit() {
    String name = "sales-" + UUID.randomUUID().toString().substring(0, 8);
    ConsoleSession admin = signedIn(Role.ADMIN);
    admin.post("/console/policies", partnerForm(name, admin.csrfOf("/console/policies/new")));
    ConsoleSession sales = signedIn(Role.SALES);
    String csrf = sales.csrfOf("/console/policies/" + name);

    assertThat(sales.post("/console/policies", partnerForm(name, csrf)).statusCode())
        .isEqualTo(403);
    HttpResponse<String> reissue =
        sales.post("/console/policies/" + name + "/reissue", Map.of("_csrf", csrf));
    assertThat(reissue.statusCode()).isEqualTo(302);
    assertThat(sales.get("/console/policies/" + name).body()).contains("0 license(s) re-issued");
  }

  private record JsonPolicy(String body) {}
}
