package dev.keyturn.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.OnH2;
import dev.keyturn.server.support.ServerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** {@code /v3/api-docs} against what the server really maps, so no endpoint goes undocumented. */
@OnH2
class OpenApiDocumentTest extends ServerTest {
  /** Packages whose every operation carries a summary and its error responses. */
  private static final List<String> DOCUMENTED =
      List.of(
          "dev.keyturn.server.billing.",
          "dev.keyturn.server.renewal.",
          "dev.keyturn.server.payment.");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private record Endpoint(String path, String method, HandlerMethod handler) {}

  /** Every (path, method) the server maps under /api/v1 and /webhooks, from Spring itself. */
  private List<Endpoint> endpoints() {
    List<Endpoint> out = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mappings.getHandlerMethods().entrySet()) {
      Set<RequestMethod> methods = e.getKey().getMethodsCondition().getMethods();
      for (String path : e.getKey().getPatternValues()) {
        if (!path.startsWith("/api/v1/") && !path.startsWith("/webhooks/")) {
          continue;
        }
        for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
          out.add(new Endpoint(path, m.name().toLowerCase(Locale.ROOT), e.getValue()));
        }
      }
    }
    return out;
  }

  private JsonNode document() {
    Api.Response r = anonymous().get("/v3/api-docs");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  void every_api_and_webhook_mapping_is_in_the_openapi_document() {
    JsonNode paths = document().get("paths");
    List<Endpoint> endpoints = endpoints();
    assertThat(endpoints)
        .extracting(Endpoint::path)
        .contains(
            "/webhooks/stripe",
            "/api/v1/subscriptions/{id}/billing-portal",
            "/api/v1/renewal-requests",
            "/api/v1/subscriptions/{id}/payments");

    List<String> missing = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (!paths.has(e.path()) || !paths.get(e.path()).has(e.method())) {
        missing.add(e.method().toUpperCase(Locale.ROOT) + " " + e.path());
      }
    }
    assertThat(missing).as("mapped but not documented").isEmpty();
  }

  @Test
  void billing_renewal_and_payment_operations_say_what_they_do_and_how_they_fail() {
    JsonNode doc = document();
    List<String> undocumented = new ArrayList<>();
    for (Endpoint e : endpoints()) {
      String type = e.handler().getBeanType().getName();
      if (DOCUMENTED.stream().noneMatch(type::startsWith)) {
        continue;
      }
      JsonNode op = doc.get("paths").get(e.path()).get(e.method());
      boolean summary = op.hasNonNull("summary") && !op.get("summary").asString().isBlank();
      boolean errors = false;
      for (String status : op.get("responses").propertyNames()) {
        errors |= status.startsWith("4") || status.startsWith("5");
      }
      if (!summary || !errors) {
        undocumented.add(e.method().toUpperCase(Locale.ROOT) + " " + e.path());
      }
    }
    assertThat(undocumented).isEmpty();

    JsonNode webhook = doc.get("paths").get("/webhooks/stripe").get("post");
    assertThat(webhook.get("security").isEmpty()).as("Stripe signs, nobody signs in").isTrue();
    assertThat(webhook.get("responses").get("400").get("content").has("application/problem+json"))
        .isTrue();
    JsonNode renew = doc.get("paths").get("/api/v1/renewal-requests").get("post");
    assertThat(renew.get("security").toString()).contains("license").contains("basic");
    assertThat(doc.get("components").get("securitySchemes").get("license").get("scheme").asString())
        .isEqualTo("bearer");
    assertThat(doc.get("components").get("responses").get("Unauthenticated").toString())
        .contains("#/components/schemas/Problem");
    assertThat(doc.get("components").get("schemas").get("Problem").get("properties").has("code"))
        .isTrue();
  }

  @Test
  void signing_key_operations_are_summarised_and_the_admin_ones_say_how_they_fail() {
    JsonNode paths = document().get("paths");
    for (String path :
        List.of(
            "/api/v1/signing-keys",
            "/api/v1/signing-keys/{keyId}/public.pem",
            "/api/v1/signing-keys/next",
            "/api/v1/signing-keys/rotate")) {
      JsonNode op = paths.get(path).valueStream().findFirst().orElseThrow();
      assertThat(op.get("summary").asString()).as(path).isNotBlank();
    }
    for (String path : List.of("/api/v1/signing-keys/next", "/api/v1/signing-keys/rotate")) {
      JsonNode responses = paths.get(path).get("post").get("responses");
      assertThat(responses.has("403") && responses.has("409")).as(path).isTrue();
    }
    assertThat(paths.get("/api/v1/signing-keys").get("get").get("security").isEmpty())
        .as("public keys need no sign-in")
        .isTrue();
  }
}
