package dev.keyturn.server.signingkey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Staged rotation: the next key is published before it signs anything, and rotate activates it.
 * Server tests share one database per run, so each test first rotates to a known state (no key
 * pending) rather than assuming an empty table.
 */
abstract class SigningKeyTests extends ServerTest {

  private JsonNode keys() {
    Api.Response r = anonymous().get("/api/v1/signing-keys");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static Optional<JsonNode> key(JsonNode list, String keyId) {
    return list.get("keys")
        .valueStream()
        .filter(k -> k.get("key_id").asString().equals(keyId))
        .findFirst();
  }

  private static long countIn(JsonNode list, String state) {
    return list.get("keys")
        .valueStream()
        .filter(k -> k.get("state").asString().equals(state))
        .count();
  }

  /** Leaves no key pending: a pending one from an earlier test is activated. */
  private String rotated() {
    Api.Response r = admin().post("/api/v1/signing-keys/rotate", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.field("key_id");
  }

  private VerificationCode verifiedAgainstPublishedKeys(String licenseText) {
    return new LicenseVerifier(publishedKeys())
        .verify(licenseText, clock.instant(), Optional.empty())
        .code();
  }

  @Test
  void a_prepared_key_is_published_as_next_and_signs_nothing_until_it_is_activated() {
    String active = rotated();
    String sub = createSubscription("Staging Corp");

    Api.Response prepared = admin().post("/api/v1/signing-keys/next", null);
    assertThat(prepared.status()).as(prepared.toString()).isEqualTo(201);
    String next = prepared.field("key_id");
    assertThat(prepared.field("state")).isEqualTo("next");
    assertThat(next).isNotEqualTo(active);

    JsonNode list = keys();
    assertThat(list.get("active_key_id").asString()).isEqualTo(active);
    assertThat(list.get("next_key_id").asString()).isEqualTo(next);
    assertThat(key(list, next).orElseThrow().get("active").asBoolean()).isFalse();
    assertThat(key(list, next).orElseThrow().get("retired_at").isNull()).isTrue();
    Api.Response pem = anonymous().get("/api/v1/signing-keys/" + next + "/public.pem");
    assertThat(pem.status()).isEqualTo(200);
    assertThat(Pem.readPublicKey(pem.body()))
        .isEqualTo(
            Pem.readPublicKey(key(list, next).orElseThrow().get("public_key_pem").asString()));

    Api.Response before = issued(sub, "P365D");
    assertThat(before.field("key_id")).as("a pending key never signs").isEqualTo(active);

    JsonNode audit = admin().get("/api/v1/events?type=signing_key.prepared").json();
    assertThat(audit.valueStream())
        .anyMatch(
            e ->
                e.get("metadata").get("key_id").asString().equals(next)
                    && e.get("actor").asString().equals("admin"));

    Api.Response activated = admin().post("/api/v1/signing-keys/rotate", null);
    assertThat(activated.status()).as(activated.toString()).isEqualTo(201);
    assertThat(activated.field("key_id")).isEqualTo(next);
    assertThat(activated.field("state")).isEqualTo("active");

    JsonNode after = keys();
    assertThat(after.get("active_key_id").asString()).isEqualTo(next);
    assertThat(after.get("next_key_id").isNull()).isTrue();
    assertThat(key(after, active).orElseThrow().get("state").asString()).isEqualTo("retired");
    assertThat(key(after, active).orElseThrow().get("retired_at").isNull()).isFalse();
    Api.Response renewed = issued(sub, "P395D");
    assertThat(renewed.field("key_id")).isEqualTo(next);
    assertThat(verifiedAgainstPublishedKeys(before.field("text")))
        .isEqualTo(VerificationCode.VALID);
    assertThat(verifiedAgainstPublishedKeys(renewed.field("text")))
        .isEqualTo(VerificationCode.VALID);
  }

  @Test
  void preparing_again_while_a_key_is_pending_answers_that_key_and_makes_nothing() {
    rotated();
    String next = admin().post("/api/v1/signing-keys/next", null).field("key_id");
    int keysBefore = keys().get("keys").size();

    Api.Response again = admin().post("/api/v1/signing-keys/next", null);

    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.field("key_id")).isEqualTo(next);
    assertThat(keys().get("keys").size()).isEqualTo(keysBefore);
    assertThat(countIn(keys(), "next")).isEqualTo(1);
  }

  @Test
  void rotating_with_nothing_pending_makes_a_new_key_active_at_once() {
    String previous = rotated();

    String now = rotated();

    JsonNode list = keys();
    assertThat(now).isNotEqualTo(previous);
    assertThat(list.get("active_key_id").asString()).isEqualTo(now);
    assertThat(key(list, previous).orElseThrow().get("state").asString()).isEqualTo("retired");
    assertThat(countIn(list, "active")).isEqualTo(1);
    assertThat(countIn(list, "next")).isZero();
  }

  @Test
  void only_admins_prepare_or_activate_keys_and_a_refusal_changes_nothing() {
    rotated();
    String before = keys().toString();
    for (Role role : List.of(Role.SALES, Role.ENGINEER, Role.SUPPORT, Role.READONLY)) {
      for (String action : List.of("next", "rotate")) {
        Api.Response r = as(role).post("/api/v1/signing-keys/" + action, null);
        assertThat(r.status()).as(role + " " + action).isEqualTo(403);
        assertThat(r.code()).isEqualTo("auth.forbidden");
      }
    }
    assertThat(anonymous().post("/api/v1/signing-keys/next", null).status()).isEqualTo(401);
    assertThat(keys().toString()).isEqualTo(before);
  }

  @Test
  void two_rotations_at_once_leave_exactly_one_active_key() throws Exception {
    rotated();
    for (int round = 0; round < 6; round++) {
      if (round % 2 == 0) {
        admin().post("/api/v1/signing-keys/next", null);
      }
      CyclicBarrier start = new CyclicBarrier(2);
      List<CompletableFuture<Api.Response>> calls = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    start.await();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  return admin().post("/api/v1/signing-keys/rotate", null);
                }));
      }
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<Api.Response> call : calls) {
        Api.Response r = call.get();
        statuses.add(r.status());
        if (r.status() == 409) {
          assertThat(r.code()).isEqualTo("conflict");
        }
      }
      assertThat(statuses).as("round " + round).contains(201).allMatch(s -> s == 201 || s == 409);
      JsonNode list = keys();
      assertThat(countIn(list, "active")).as("round " + round).isEqualTo(1);
      assertThat(countIn(list, "next")).as("round " + round).isZero();
    }
  }
}
