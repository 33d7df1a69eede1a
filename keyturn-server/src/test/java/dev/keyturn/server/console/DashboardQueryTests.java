package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The dashboard's queries on each database: order, "current" license, weekly buckets. */
abstract class DashboardQueryTests extends ServerTest {
  @Autowired Licenses licenses;

  @Test
  void current_licenses_come_soonest_expiry_first_without_renewed_or_revoked_ones() {
    String a = createSubscription("Query A " + System.nanoTime());
    String b = createSubscription("Query B " + System.nanoTime());
    String c = createSubscription("Query C " + System.nanoTime());
    String renewedAway = issued(a, "P5D").field("id");
    String aCurrent = issued(a, "P50D").field("id");
    String bCurrent = issued(b, "P12D").field("id");
    String revoked = issued(c, "P2D").field("id");
    as(Role.SALES).post("/api/v1/licenses/" + revoked + "/revoke", Map.of("reason", "mistake"));
    String cCurrent = issued(c, "P30D").field("id");

    Instant now = clock.instant();
    List<String> mine =
        licenses.currentByExpiry(now.minus(Duration.ofDays(1)), 500, 0).stream()
            .map(l -> l.license().id())
            .filter(id -> List.of(renewedAway, aCurrent, bCurrent, revoked, cCurrent).contains(id))
            .toList();

    assertThat(mine).containsExactly(bCurrent, cCurrent, aCurrent);
    List<Instant> all =
        licenses.currentByExpiry(now.minus(Duration.ofDays(1)), 500, 0).stream()
            .map(l -> l.license().expiresAt())
            .toList();
    assertThat(all).isSorted();
  }

  @Test
  void revoking_the_current_license_makes_the_one_before_it_current_again() {
    String id = createSubscription("Query Revoke " + System.nanoTime());
    String earlier = issued(id, "P10D").field("id");
    String later = issued(id, "P90D").field("id");
    assertThat(currentOf(id)).containsExactly(later);

    as(Role.SALES).post("/api/v1/licenses/" + later + "/revoke", Map.of("reason", "wrong tier"));

    assertThat(currentOf(id)).containsExactly(earlier);
  }

  private List<String> currentOf(String subscriptionId) {
    return licenses.currentByExpiry(clock.instant().minus(Duration.ofDays(1)), 500, 0).stream()
        .filter(c -> c.license().subscriptionId().equals(subscriptionId))
        .map(c -> c.license().id())
        .toList();
  }

  @Test
  void expiries_are_counted_in_the_week_they_fall_in() {
    Instant from = clock.instant();
    long[] before = licenses.currentExpiriesPerWeek(from, 26);
    String id = createSubscription("Query Week " + System.nanoTime());
    issued(id, "P17D"); // in the third week (days 14 to 21)
    long[] after = licenses.currentExpiriesPerWeek(from, 26);
    assertThat(after[2] - before[2]).isEqualTo(1);
    long others = 0;
    for (int w = 0; w < 26; w++) {
      others += w == 2 ? 0 : after[w] - before[w];
    }
    assertThat(others).isZero();
  }

  @Test
  void the_dashboard_page_renders_its_rows_in_expiry_order() {
    String id = createSubscription("Query Page " + System.nanoTime());
    issued(id, "P1D");
    ConsoleSession admin = ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD);
    String page = admin.get("/console").body();
    Matcher m = Pattern.compile("data-expires=\"([^\"]+)\"").matcher(page);
    List<Instant> expiries = new java.util.ArrayList<>();
    while (m.find()) {
      expiries.add(Instant.parse(m.group(1)));
    }
    assertThat(expiries).isNotEmpty().isSorted();
    assertThat(page).contains("data-subscription=\"" + id + "\"");
  }
}
