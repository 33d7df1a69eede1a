package dev.keyturn.server.checkin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckInTokenTest {

  @Test
  void a_check_in_authenticates_by_the_name_of_its_license_not_the_whole_row() {
    Instant at = Instant.parse("2026-12-06T12:00:00Z");
    CheckIns.Held held =
        new CheckIns.Held(
            "lic_1",
            "sub_1",
            at,
            at.plusSeconds(86_400),
            null,
            null,
            "internal revocation note",
            "inst-1",
            false,
            "the signed license file",
            at,
            "{\"usage\":{}}",
            null,
            false);

    assertThat(new CheckInTokens.CheckInToken(held, at)).hasToString("license:lic_1");
  }
}
