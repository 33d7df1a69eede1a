package dev.keyturn.client.web;

/** Inline SVG icons (24×24, stroked with currentColor), decorative: hidden from screen readers. */
final class Icons {
  static final String LOCK =
      svg(
          "<rect x=\"4\" y=\"10.5\" width=\"16\" height=\"10.5\" rx=\"2.5\"/>"
              + "<path d=\"M8 10.5V7.5a4 4 0 0 1 8 0v3\"/><path d=\"M12 15v2.5\"/>");
  static final String PAUSE =
      svg("<circle cx=\"12\" cy=\"12\" r=\"9\"/><path d=\"M10 9v6\"/><path d=\"M14 9v6\"/>");
  static final String KEY =
      svg(
          "<circle cx=\"8\" cy=\"15\" r=\"4\"/><path d=\"M10.8 12.2 20 3\"/>"
              + "<path d=\"m16 7 3 3\"/><path d=\"m14 9 2 2\"/>");
  static final String SHIELD_CHECK =
      svg(
          "<path d=\"M12 3 4.5 6v5.5c0 4.6 3.2 8.4 7.5 9.5 4.3-1.1 7.5-4.9 7.5-9.5V6z\"/>"
              + "<path d=\"m9 12 2 2 4-4\"/>");

  private Icons() {}

  private static String svg(String body) {
    return "<svg class=\"kt-icon\" viewBox=\"0 0 24 24\" width=\"24\" height=\"24\" fill=\"none\""
        + " stroke=\"currentColor\" stroke-width=\"1.8\" stroke-linecap=\"round\""
        + " stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\">"
        + body
        + "</svg>";
  }
}
