package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final String SECRET = "whsec-0123456789abcdef";
  private static final Instant AT = Instant.parse("2026-05-01T10:00:00Z");
  private static final String BODY = "{\"type\":\"license.expiring\"}";

  @Test
  void signs_timestamp_dot_body_with_hmac_sha256() {
    // Reference value computed independently: printf '1777629600.{"type":"license.expiring"}' |
    // openssl dgst -sha256 -hmac whsec-0123456789abcdef
    String header = WebhookSignature.header(SECRET, AT, BODY);

    assertThat(header)
        .isEqualTo(
            "t=1777629600,v1=21d5a0867a0a8d56dcf50edf7701a70b683b450084c9f053406fd4eb540a5df9");
    assertThat(WebhookSignature.verify(SECRET, header, BODY, AT.plusSeconds(10))).isTrue();
  }

  @Test
  void refuses_another_body_another_secret_and_a_stale_timestamp() {
    String header = WebhookSignature.header(SECRET, AT, BODY);

    assertThat(WebhookSignature.verify(SECRET, header, BODY + " ", AT)).isFalse();
    assertThat(WebhookSignature.verify("another-secret-value", header, BODY, AT)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, header, BODY, AT.plus(Duration.ofMinutes(5))))
        .isTrue();
    assertThat(
            WebhookSignature.verify(
                SECRET, header, BODY, AT.plus(Duration.ofMinutes(5)).plusSeconds(1)))
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, "t=abc,v1=00", BODY, AT)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, null, BODY, AT)).isFalse();
  }
}
