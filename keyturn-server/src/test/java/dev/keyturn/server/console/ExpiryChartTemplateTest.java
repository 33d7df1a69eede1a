package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The dashboard's chart section, rendered from the real template by Spring's Thymeleaf engine. */
class ExpiryChartTemplateTest {
  private static final Instant NOW = Instant.parse("2027-03-01T09:00:00Z");

  private static String render(long[] perWeek) {
    ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver();
    templates.setPrefix("templates/");
    templates.setSuffix(".html");
    SpringTemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(templates);
    Context context = new Context();
    context.setVariable("chart", ExpiryChart.of(NOW, perWeek));
    return engine.process("console/dashboard", Set.of("#expiry-chart"), context);
  }

  @Test
  void with_nothing_expiring_soon_it_says_so_instead_of_an_empty_box() {
    String html = render(new long[26]);

    assertThat(html)
        .contains("No current license expires in the next 26 weeks.")
        .contains("(0)")
        .doesNotContain("<svg");
  }

  @Test
  void with_expiries_it_draws_a_bar_per_week() {
    long[] perWeek = new long[26];
    perWeek[3] = 2;

    String html = render(perWeek);

    assertThat(html).contains("<svg").doesNotContain("No current license expires");
    assertThat(html.split("<rect class=\"bar").length - 1).isEqualTo(26);
  }
}
