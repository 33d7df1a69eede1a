package dev.keyturn.example.appliance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.UsageLimitException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The product: list notes, add a note. The Keyturn filter in front of it refuses changes in
 * read-only grace and shows the lock screen when locked; the servlet itself asks the license only
 * before adding a note, which is the usage the {@value #LIMIT} limit counts.
 */
final class NotesServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The license limit on the number of notes (set by the demo's licenses). */
  static final String LIMIT = "notes";

  private final transient NoteStore notes;
  private final transient LicenseManager licenses;
  private final boolean demo;
  private final byte[] css;

  NotesServlet(NoteStore notes, LicenseManager licenses, boolean demo) {
    this.notes = notes;
    this.licenses = licenses;
    this.demo = demo;
    try (InputStream in = NotesServlet.class.getResourceAsStream("app.css")) {
      this.css = in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("app.css is missing from the jar", e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    switch (req.getServletPath()) {
      case "/" -> html(res, 200, home(""));
      case "/api/notes" -> {
        res.setContentType("application/json");
        List<Map<String, Object>> out =
            notes.list().stream()
                .map(
                    n ->
                        Map.<String, Object>of(
                            "id", n.id(), "created_at", n.createdAt().toString(), "text", n.text()))
                .toList();
        res.getOutputStream().write(JSON.writeValueAsBytes(out));
      }
      case "/app.css" -> {
        res.setContentType("text/css; charset=utf-8");
        res.getOutputStream().write(css);
      }
      case "/health" -> {
        res.setContentType("text/plain; charset=utf-8");
        res.getWriter().write("ok\n");
      }
      default -> html(res, 404, Html.page("Not found", demo, "<h1>Not found</h1>\n"));
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (!req.getServletPath().equals("/notes")) {
      res.sendError(404);
      return;
    }
    req.setCharacterEncoding(StandardCharsets.UTF_8.name());
    String text = req.getParameter("text") == null ? "" : req.getParameter("text");
    try {
      // Above the limit plus its overage allowance the license refuses a new note; existing notes
      // stay readable and editable, whatever the usage.
      licenses.requireIncrease(LIMIT, 1);
      notes.add(text);
    } catch (UsageLimitException e) {
      html(res, 403, home(e.getMessage()));
      return;
    } catch (IllegalArgumentException e) {
      html(res, 400, home(e.getMessage()));
      return;
    }
    licenses.reportUsage(Map.of("users", 1L, LIMIT, notes.count()));
    res.setStatus(303);
    res.setHeader("Location", "/");
  }

  private String home(String error) {
    StringBuilder main = new StringBuilder();
    main.append("<section class=\"app-card\">\n<h1>Notes</h1>\n")
        .append("<form class=\"app-form\" method=\"post\" action=\"/notes\">\n")
        .append("<label for=\"note-text\">New note</label>\n")
        .append("<textarea id=\"note-text\" name=\"text\" rows=\"3\" maxlength=\"")
        .append(NoteStore.MAX_TEXT)
        .append("\" required placeholder=\"Write something worth keeping…\"></textarea>\n");
    if (!error.isEmpty()) {
      main.append("<p class=\"app-error\" role=\"alert\">")
          .append(Html.escape(error))
          .append("</p>\n");
    }
    main.append(
        "<button type=\"submit\" id=\"save-note\">Save note</button>\n</form>\n</section>\n");
    List<Note> all = notes.list();
    main.append("<section class=\"app-card\">\n<h2>")
        .append(all.size())
        .append(all.size() == 1 ? " note" : " notes")
        .append("</h2>\n");
    if (all.isEmpty()) {
      main.append("<p class=\"app-empty\">No notes yet.</p>\n");
    } else {
      main.append("<ul class=\"app-notes\" id=\"notes\">\n");
      for (Note n : all) {
        main.append("<li class=\"app-note\" data-note-id=\"")
            .append(n.id())
            .append("\"><p>")
            .append(Html.escape(n.text()))
            .append("</p>")
            .append(Html.time(n.createdAt()))
            .append("</li>\n");
      }
      main.append("</ul>\n");
    }
    main.append("</section>\n");
    return Html.page("Acme Notes", demo, main.toString());
  }

  private static void html(HttpServletResponse res, int status, String html) throws IOException {
    res.setStatus(status);
    res.setContentType("text/html; charset=utf-8");
    res.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
  }
}
