package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void reads_text_fields_and_files_as_chrome_sends_them() {
    String body =
        "------WebKitFormBoundaryx\r\n"
            + "Content-Disposition: form-data; name=\"license\"\r\n\r\n"
            + "line one\r\nline two\r\n"
            + "------WebKitFormBoundaryx\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"acme.license.toml\"\r\n"
            + "Content-Type: application/toml\r\n\r\n"
            + "format = 1\r\n"
            + "------WebKitFormBoundaryx--\r\n";

    List<Multipart.Part> parts =
        Multipart.parse(bytes(body), "----WebKitFormBoundaryx").orElseThrow();

    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).name()).isEqualTo("license");
    assertThat(parts.get(0).text()).isEqualTo("line one\r\nline two");
    assertThat(parts.get(0).filename()).isEmpty();
    assertThat(parts.get(1).name()).isEqualTo("file");
    assertThat(parts.get(1).filename()).contains("acme.license.toml");
    assertThat(parts.get(1).text()).isEqualTo("format = 1");
  }

  @Test
  void finds_quoted_and_bare_boundaries() {
    assertThat(Multipart.boundary("multipart/form-data; boundary=abc123")).contains("abc123");
    assertThat(Multipart.boundary("multipart/form-data; boundary=\"a b\"; charset=utf-8"))
        .contains("a b");
    assertThat(Multipart.boundary("multipart/form-data")).isEmpty();
  }

  @Test
  void an_unterminated_body_does_not_parse() {
    String body = "--b\r\nContent-Disposition: form-data; name=\"license\"\r\n\r\nno end";

    assertThat(Multipart.parse(bytes(body), "b")).isEmpty();
  }

  @Test
  void a_body_without_the_boundary_does_not_parse() {
    assertThat(Multipart.parse(bytes("hello"), "b")).isEmpty();
  }

  @Test
  void an_empty_form_has_no_parts() {
    assertThat(Multipart.parse(bytes("--b--\r\n"), "b").orElseThrow()).isEmpty();
  }
}
