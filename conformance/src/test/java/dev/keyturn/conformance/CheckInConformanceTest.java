package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.client.checkin.CheckInReply;
import dev.keyturn.client.checkin.CheckInRequest;
import dev.keyturn.client.checkin.CheckInSettings;
import dev.keyturn.client.checkin.CheckInTransport;
import dev.keyturn.client.store.Json;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The client's side of check-in passes its own vectors. */
class CheckInConformanceTest {
  private static final JsonNode VECTORS = CommittedVectors.read("check-in.json");

  @TestFactory
  Stream<DynamicTest> each_license_presents_its_token() {
    return cases("tokens")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      SignedLicense signed =
                          new LicenseReader()
                              .read(Base64.getDecoder().decode(c.path("file_base64").asText()));
                      assertThat(signed.signatureHash())
                          .isEqualTo(c.path("signature_hash").asText());
                      assertThat(signed.checkInToken())
                          .isEqualTo(c.path("check_in_token").asText())
                          .isEqualTo(c.path("token_of_crlf_copy").asText());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> each_request_body_is_what_the_client_sends() throws Exception {
    return cases("requests")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      JsonNode in = c.path("input");
                      Map<String, Long> usage = new LinkedHashMap<>();
                      in.path("usage")
                          .fields()
                          .forEachRemaining(e -> usage.put(e.getKey(), e.getValue().asLong()));
                      CheckInRequest r =
                          new CheckInRequest(
                              in.path("license_id").asText(),
                              in.path("instance_id").asText(),
                              in.path("instance_domain").isNull()
                                  ? null
                                  : in.path("instance_domain").asText(),
                              usage,
                              in.path("client_version").asText(),
                              in.has("node") ? in.path("node").asText() : null);
                      assertThat(Json.MAPPER.writeValueAsString(r))
                          .isEqualTo(c.path("expected_body_text").asText());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> each_answer_is_read_as_the_vector_says() {
    return cases("answers")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      CheckInReply r =
                          CheckInTransport.decode(
                              c.path("status").asInt(), c.path("body").asText());
                      JsonNode e = c.path("expected");
                      assertThat(r.kind().name()).isEqualTo(e.path("kind").asText());
                      assertThat(r.reason().orElse(null)).isEqualTo(text(e.path("reason")));
                      assertThat(r.license().orElse(null)).isEqualTo(text(e.path("license")));
                      assertThat(r.checkInAfter().map(Duration::toSeconds).orElse(null))
                          .isEqualTo(
                              e.path("check_in_after_seconds").isNull()
                                  ? null
                                  : e.path("check_in_after_seconds").asLong());
                      Duration next =
                          r.kind() == CheckInReply.Kind.UNEXPECTED
                              ? CheckInSettings.DEFAULT_RETRY_AFTER_FAILURE
                              : CheckInSettings.bounded(
                                  r.checkInAfter().orElse(CheckInSettings.DEFAULT_INTERVAL));
                      assertThat(next.toSeconds())
                          .isEqualTo(e.path("next_check_in_seconds").asLong());
                      assertThat(r.paymentFailing())
                          .isEqualTo(e.path("payment_failing").asBoolean());
                      assertThat(r.standingMessage().orElse(null))
                          .isEqualTo(text(e.path("standing_message")));
                    }));
  }

  private static Stream<JsonNode> cases(String field) {
    return StreamSupport.stream(VECTORS.path(field).spliterator(), false);
  }

  private static String text(JsonNode n) {
    return n.isNull() ? null : n.asText();
  }
}
