package dev.keyturn.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailRendererTest {
  private final MailRenderer renderer = new MailRenderer();

  private static Map<String, Object> variables(String text, String url, boolean renewed, long n) {
    Map<String, Object> vars = new HashMap<>();
    for (String name :
        List.of(
            "customer",
            "subscriptionId",
            "licenseId",
            "expiresAtText",
            "locksAtText",
            "graceMode",
            "lockAction",
            "headline",
            "stage")) {
      vars.put(name, text + " " + name);
    }
    vars.put("graceDays", (int) n);
    vars.put("daysLeft", n);
    vars.put("portalUrl", url);
    vars.put("paymentUrl", url);
    vars.put("renewed", renewed);
    return vars;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "expired",
        "expiring",
        "license",
        "locked",
        "payment-failed",
        "vendor-alert",
        "usage-alert"
      })
  void prerendered_mails_equal_what_thymeleaf_renders_whatever_the_values(String template) {
    String[] texts = {"Acme Corp", "<b>Tom & \"Jerry's\"</b> ü € 日本", "@@keyturn-var-0@@ {x}"};
    String[] urls = {null, "https://billing.example/p?a=1&b=<2>", "https://x.example/\"q\""};
    long n = 0;
    for (boolean renewed : new boolean[] {false, true}) {
      for (String url : urls) {
        for (String text : texts) {
          Map<String, Object> vars = variables(text, url, renewed, n++);
          assertThat(renderer.render(template, vars))
              .as(template + " with " + vars)
              .isEqualTo(renderer.thymeleaf(template, vars));
          assertThat(renderer.prerenders(template, vars))
              .as(template + " is pre-rendered")
              .isTrue();
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"expiring", "license"})
  void the_text_part_prints_values_as_they_are_and_the_html_part_escapes_them(String template) {
    MailRenderer.Rendered r =
        renderer.render(template, variables("<b>Tom & Jerry</b>", null, true, 3));
    assertThat(r.text()).contains("<b>Tom & Jerry</b> customer");
    assertThat(r.html()).contains("&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; customer");
  }
}
