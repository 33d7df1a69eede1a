package dev.keyturn.client.checkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckInSettingsTest {
  @Test
  void the_endpoint_is_the_base_address_with_the_contract_path() {
    assertThat(
            CheckInSettings.builder(URI.create("https://licenses.vendor.example/"))
                .build()
                .endpoint())
        .isEqualTo(URI.create("https://licenses.vendor.example/api/v1/check-in"));
    assertThat(
            CheckInSettings.builder(URI.create("http://10.0.0.5:8080/keyturn")).build().endpoint())
        .isEqualTo(URI.create("http://10.0.0.5:8080/keyturn/api/v1/check-in"));
  }

  @Test
  void rejects_addresses_and_durations_that_cannot_work() {
    assertThatThrownBy(() -> CheckInSettings.builder(URI.create("ftp://x.example")).build())
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> CheckInSettings.builder(URI.create("https://x.example?a=b")).build())
        .hasMessageContaining("no query");
    assertThatThrownBy(
            () ->
                CheckInSettings.builder(URI.create("https://x.example"))
                    .interval(Duration.ofSeconds(5))
                    .build())
        .hasMessageContaining("interval must be between");
  }

  @Test
  void rejects_an_installation_id_or_node_the_server_would_refuse() {
    for (String bad : new String[] {"", "a b", "n/1", "x".repeat(129)}) {
      assertThatThrownBy(
              () -> CheckInSettings.builder(URI.create("https://x.example")).node(bad).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("node");
      assertThatThrownBy(
              () ->
                  CheckInSettings.builder(URI.create("https://x.example"))
                      .installationId(bad)
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("installationId");
    }
  }

  @Test
  void decodes_each_answer_of_the_contract() {
    assertThat(CheckInTransport.decode(401, "").kind())
        .isEqualTo(CheckInReply.Kind.UNKNOWN_LICENSE);
    assertThat(CheckInTransport.decode(409, "").kind()).isEqualTo(CheckInReply.Kind.CONFLICT);
    CheckInReply revoked = CheckInTransport.decode(403, "{\"revoked\":true,\"reason\":\"fraud\"}");
    assertThat(revoked.kind()).isEqualTo(CheckInReply.Kind.REVOKED);
    assertThat(revoked.reason()).contains("fraud");
    CheckInReply ok =
        CheckInTransport.decode(
            200,
            "{\"standing\":{\"flags\":[\"PAYMENT_FAILING\"]},\"revoked\":false,\"license\":null,"
                + "\"check_in_after\":\"PT2H\",\"something_new\":1}");
    assertThat(ok.kind()).isEqualTo(CheckInReply.Kind.OK);
    assertThat(ok.paymentFailing()).isTrue();
    assertThat(ok.license()).isEmpty();
    assertThat(ok.checkInAfter()).contains(Duration.ofHours(2));
    assertThat(CheckInTransport.decode(200, "[]").kind()).isEqualTo(CheckInReply.Kind.UNEXPECTED);
    assertThat(CheckInTransport.decode(200, "{\"check_in_after\":\"soon\"}").kind())
        .isEqualTo(CheckInReply.Kind.UNEXPECTED);
    assertThat(CheckInTransport.decode(200, "{\"license\":42}").kind())
        .isEqualTo(CheckInReply.Kind.UNEXPECTED);
    assertThat(CheckInTransport.decode(502, "bad gateway").kind())
        .isEqualTo(CheckInReply.Kind.UNEXPECTED);
  }

  @Test
  void a_failing_payment_is_read_where_the_server_sends_it() {
    // The server's answer carries the flag at the top level, next to "revoked".
    CheckInReply failing =
        CheckInTransport.decode(
            200,
            "{\"standing\":{\"phase\":\"ACTIVE\"},\"revoked\":false,\"license\":null,"
                + "\"check_in_after\":\"PT12H\",\"payment_failing\":true}");
    assertThat(failing.paymentFailing()).isTrue();
    CheckInReply paid =
        CheckInTransport.decode(
            200,
            "{\"standing\":{\"phase\":\"ACTIVE\"},\"revoked\":false,\"license\":null,"
                + "\"check_in_after\":\"PT12H\",\"payment_failing\":false}");
    assertThat(paid.paymentFailing()).isFalse();
  }
}
