package dev.keyturn.server.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.unbescape.html.HtmlEscape;

/**
 * Renders {@code templates/mail/<name>.html} and {@code templates/mail/<name>.txt} with the same
 * variables: every mail has an HTML part and a plain-text part saying the same thing.
 *
 * <p>A catch-up sweep renders the same template for many subscriptions, and Thymeleaf with SpEL
 * costs far more than the database work of a notice. So each template is rendered once per
 * <em>shape</em> (which variables are null, the value of each boolean: all that a template's
 * conditions look at) with markers in place of the other values, and later mails of that shape fill
 * the markers in, HTML-escaped in the HTML part as Thymeleaf escapes them. The first mail of each
 * shape is also rendered by Thymeleaf and compared: a shape whose output differs (a template that
 * computes with a value rather than printing it) is always rendered by Thymeleaf.
 */
@Component
public class MailRenderer {
  public record Rendered(String text, String html) {}

  private static final Pattern MARKER = Pattern.compile("@@keyturn-var-(\\d+)@@");

  private final TemplateEngine html = engine(TemplateMode.HTML, ".html");
  private final TemplateEngine text = engine(TemplateMode.TEXT, ".txt");
  private final Map<String, Optional<Prerendered>> shapes = new ConcurrentHashMap<>();

  public Rendered render(String template, Map<String, Object> variables) {
    Optional<Prerendered> prerendered =
        shapes.computeIfAbsent(shape(template, variables), k -> prerender(template, variables));
    return prerendered.map(p -> p.fill(variables)).orElseGet(() -> thymeleaf(template, variables));
  }

  /** Whether mails of this shape are filled in from a pre-rendered template (after a render). */
  boolean prerenders(String template, Map<String, Object> variables) {
    return shapes.getOrDefault(shape(template, variables), Optional.empty()).isPresent();
  }

  /** Rendered by Thymeleaf, every time (the reference the pre-rendered output must equal). */
  Rendered thymeleaf(String template, Map<String, Object> variables) {
    Context context = new Context(Locale.ENGLISH, variables);
    return new Rendered(text.process(template, context), html.process(template, context));
  }

  private static String shape(String template, Map<String, Object> variables) {
    StringBuilder key = new StringBuilder(template);
    new TreeMap<>(variables)
        .forEach(
            (name, value) ->
                key.append('|')
                    .append(name)
                    .append('=')
                    .append(
                        value == null ? "null" : value instanceof Boolean b ? b.toString() : "*"));
    return key.toString();
  }

  private Optional<Prerendered> prerender(String template, Map<String, Object> variables) {
    List<String> names = new ArrayList<>();
    Map<String, Object> markers = new TreeMap<>();
    variables.forEach(
        (name, value) -> {
          if (value == null || value instanceof Boolean) {
            markers.put(name, value);
          } else {
            markers.put(name, "@@keyturn-var-" + names.size() + "@@");
            names.add(name);
          }
        });
    Rendered withMarkers = thymeleaf(template, markers);
    Prerendered p =
        new Prerendered(
            names, Parts.of(withMarkers.text(), false), Parts.of(withMarkers.html(), true));
    return p.fill(variables).equals(thymeleaf(template, variables))
        ? Optional.of(p)
        : Optional.empty();
  }

  /** A template's output split around the markers: literal, variable, literal, variable… */
  private record Parts(List<String> literals, List<Integer> variables, boolean escape) {
    static Parts of(String rendered, boolean escape) {
      List<String> literals = new ArrayList<>();
      List<Integer> variables = new ArrayList<>();
      Matcher m = MARKER.matcher(rendered);
      int at = 0;
      while (m.find()) {
        literals.add(rendered.substring(at, m.start()));
        variables.add(Integer.parseInt(m.group(1)));
        at = m.end();
      }
      literals.add(rendered.substring(at));
      return new Parts(literals, variables, escape);
    }

    String fill(List<String> values) {
      StringBuilder out = new StringBuilder(literals.get(0).length() * 2);
      for (int i = 0; i < variables.size(); i++) {
        out.append(literals.get(i));
        String value = values.get(variables.get(i));
        out.append(escape ? HtmlEscape.escapeHtml4Xml(value) : value);
      }
      return out.append(literals.get(literals.size() - 1)).toString();
    }
  }

  private record Prerendered(List<String> names, Parts text, Parts html) {
    Rendered fill(Map<String, Object> variables) {
      List<String> values = new ArrayList<>(names.size());
      for (String name : names) {
        values.add(String.valueOf(variables.get(name)));
      }
      return new Rendered(text.fill(values), html.fill(values));
    }
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
