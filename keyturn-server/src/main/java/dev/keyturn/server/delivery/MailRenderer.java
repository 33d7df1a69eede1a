package dev.keyturn.server.delivery;

import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders {@code templates/mail/<name>.html} and {@code templates/mail/<name>.txt} with the same
 * variables: every mail has an HTML part and a plain-text part saying the same thing.
 */
@Component
public class MailRenderer {
  public record Rendered(String text, String html) {}

  private final TemplateEngine html = engine(TemplateMode.HTML, ".html");
  private final TemplateEngine text = engine(TemplateMode.TEXT, ".txt");

  public Rendered render(String template, Map<String, Object> variables) {
    Context context = new Context(Locale.ENGLISH, variables);
    return new Rendered(text.process(template, context), html.process(template, context));
  }

  private static TemplateEngine engine(TemplateMode mode, String suffix) {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
    resolver.setPrefix("templates/mail/");
    resolver.setSuffix(suffix);
    resolver.setTemplateMode(mode);
    resolver.setCharacterEncoding("UTF-8");
    resolver.setCacheable(true);
    // SpEL rather than OGNL for expressions: Spring is on the classpath, OGNL is not.
    TemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(resolver);
    return engine;
  }
}
