package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.client.store.StateStatus;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.client.store.UsageRecord;
import dev.keyturn.client.store.UsageStore;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Banner;
import dev.keyturn.core.lifecycle.LimitUsage;
import dev.keyturn.core.lifecycle.Usage;
import dev.keyturn.core.lifecycle.UsageDecision;
import dev.keyturn.core.lifecycle.UsageStanding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The committed {@code usage.json}, run against the Java reference as an SDK runs it. */
class UsageConformanceTest {
  private static final JsonNode VECTORS = CommittedVectors.read("usage.json");

  @TempDir Path dir;

  private static Stream<JsonNode> cases(String array) {
    return StreamSupport.stream(VECTORS.path(array).spliterator(), false);
  }

  private static License license(JsonNode grant) {
    License.Builder b = Fixtures.baseLicense().seats(grant.path("seats").asLong());
    Map<String, Long> limits = new TreeMap<>();
    grant
        .path("limits")
        .fields()
        .forEachRemaining(e -> limits.put(e.getKey(), e.getValue().asLong()));
    Map<String, Integer> overage = new TreeMap<>();
    grant
        .path("overage_percent")
        .fields()
        .forEachRemaining(e -> overage.put(e.getKey(), e.getValue().asInt()));
    return b.limits(limits).overagePercent(overage).build();
  }

  private static Map<String, Long> usage(JsonNode node) {
    Map<String, Long> out = new TreeMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }

  @TestFactory
  Stream<DynamicTest> standing() {
    return cases("standing")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      UsageStanding s =
                          Usage.evaluate(license(c.path("license")), usage(c.path("usage")));
                      JsonNode e = c.path("expected");
                      assertThat(s.level().name()).isEqualTo(e.path("level").asText());
                      assertThat(s.limits()).hasSize(e.path("limits").size());
                      for (int i = 0; i < s.limits().size(); i++) {
                        LimitUsage l = s.limits().get(i);
                        JsonNode x = e.path("limits").get(i);
                        assertThat(l.limit()).isEqualTo(x.path("limit").asText());
                        assertThat(l.ceiling()).isEqualTo(x.path("ceiling").asLong());
                        assertThat(l.level().name()).isEqualTo(x.path("level").asText());
                        assertThat(l.text()).isEqualTo(x.path("text").asText());
                      }
                      Banner b = s.banner();
                      assertThat(b.level().name())
                          .isEqualTo(e.path("banner").path("level").asText());
                      assertThat(b.text()).isEqualTo(e.path("banner").path("text").asText());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> increase() {
    return cases("increase")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      UsageDecision d =
                          Usage.increase(
                              license(c.path("license")),
                              c.path("limit").asText(),
                              c.path("usage").asLong(),
                              c.path("by").asLong());
                      JsonNode e = c.path("expected");
                      assertThat(d.allowed()).isEqualTo(e.path("allowed").asBoolean());
                      assertThat(d.after()).isEqualTo(e.path("after").asLong());
                      assertThat(d.message()).isEqualTo(e.path("message").asText());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> errors() {
    return cases("errors")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      License l = license(c.path("license"));
                      assertThatThrownBy(
                              () -> {
                                if (c.path("call").asText().equals("evaluate")) {
                                  Usage.evaluate(l, usage(c.path("usage")));
                                } else {
                                  Usage.increase(
                                      l,
                                      c.path("limit").asText(),
                                      usage(c.path("usage")).get(c.path("limit").asText()),
                                      c.path("by").asLong());
                                }
                              })
                          .hasMessage(c.path("error").asText());
                    }));
  }

  @TestFactory
  Stream<DynamicTest> records() {
    return cases("records")
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.path("name").asText(),
                    () -> {
                      Path d = Files.createDirectories(dir.resolve(c.path("name").asText()));
                      Files.write(
                          d.resolve(StateStore.KEY_FILE),
                          HexFormat.of().parseHex(c.path("state_key_hex").asText()));
                      Files.write(
                          d.resolve(UsageStore.FILE),
                          Base64.getDecoder().decode(c.path("file_base64").asText()));
                      UsageStore.Loaded loaded = new UsageStore(new StateStore(d)).load();
                      JsonNode e = c.path("expected");
                      assertThat(loaded.status())
                          .isEqualTo(StateStatus.valueOf(e.path("status").asText()));
                      if (!e.path("record").isNull()) {
                        UsageRecord r = loaded.record().orElseThrow();
                        assertThat(r.recordedAt())
                            .isEqualTo(e.path("record").path("recorded_at").asText());
                        assertThat(CommittedVectors.parse(r.current()))
                            .isEqualTo(e.path("record").path("current"));
                        assertThat(CommittedVectors.parse(r.months()))
                            .isEqualTo(e.path("record").path("months"));
                      }
                    }));
  }
}
