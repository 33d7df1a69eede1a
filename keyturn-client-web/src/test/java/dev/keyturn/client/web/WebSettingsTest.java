package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebSettingsTest {
  @Test
  void defaults_put_the_routes_under_license() {
    WebSettings s = WebSettings.defaults();

    assertThat(s.basePath()).isEqualTo("/license");
    assertThat(s.isLicenseRoute("/license")).isTrue();
    assertThat(s.isLicenseRoute("/license/install")).isTrue();
    assertThat(s.isLicenseRoute("/licenses")).isFalse();
    assertThat(s.renewalEndpoint()).isEmpty();
  }

  @Test
  void exempt_paths_cover_what_lies_below_them_only() {
    WebSettings s = WebSettings.builder().exemptPath("/health").build();

    assertThat(s.isExempt("/health")).isTrue();
    assertThat(s.isExempt("/health/db")).isTrue();
    assertThat(s.isExempt("/healthz")).isFalse();
  }

  @Test
  void the_renewal_endpoint_is_the_servers_base_with_the_api_path() {
    WebSettings s =
        WebSettings.builder()
            .renewalServer(URI.create("https://licenses.vendor.example/keyturn/"), Path.of("state"))
            .build();

    assertThat(s.renewalEndpoint())
        .contains(URI.create("https://licenses.vendor.example/keyturn/api/v1/renewal-requests"));
  }

  @Test
  void refuses_settings_that_cannot_work_and_names_the_value() {
    assertThatThrownBy(() -> WebSettings.builder().basePath("/license/").build())
        .isInstanceOf(WebException.class)
        .hasMessageContaining("'/license/'");
    assertThatThrownBy(() -> WebSettings.builder().exemptPath("/license/x").build())
        .hasMessageContaining("lies under basePath");
    assertThatThrownBy(() -> WebSettings.builder().exemptPath("/static/*").build())
        .hasMessageContaining("no wildcards");
    assertThatThrownBy(() -> WebSettings.builder().allowedOrigin("https://x.example/").build())
        .hasMessageContaining("https://x.example/");
    assertThatThrownBy(() -> WebSettings.builder().renewalEmail("renew?cc=x@y").build())
        .hasMessageContaining("renewalEmail");
    assertThatThrownBy(
            () -> WebSettings.builder().renewalPortal(URI.create("javascript:alert(1)")).build())
        .hasMessageContaining("renewalPortal");
    assertThatThrownBy(() -> WebSettings.builder().productName(" ").build())
        .hasMessageContaining("productName");
  }

  @Test
  void init_parameters_build_the_same_settings() {
    Map<String, String> params =
        Map.of(
            "product-name", "Acme Notes",
            "exempt-paths", "/health, /metrics",
            "allowed-origins", "https://notes.acme.example",
            "renewal-email", "renewals@vendor.example",
            "renewal-server", "https://licenses.vendor.example",
            "state-dir", "/var/lib/notes/license");

    WebSettings s = KeyturnFilter.settings(params::get);

    assertThat(s.productName()).isEqualTo("Acme Notes");
    assertThat(s.exemptPaths()).containsExactly("/health", "/metrics");
    assertThat(s.allowedOrigins()).containsExactly("https://notes.acme.example");
    assertThat(s.renewalEmail()).contains("renewals@vendor.example");
    assertThat(s.stateDir()).contains(Path.of("/var/lib/notes/license"));
  }

  @Test
  void a_renewal_server_without_a_state_directory_is_refused() {
    Map<String, String> params = Map.of("renewal-server", "https://licenses.vendor.example");

    assertThatThrownBy(() -> KeyturnFilter.settings(params::get))
        .isInstanceOf(WebException.class)
        .hasMessageContaining("state-dir");
  }
}
