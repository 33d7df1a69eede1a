package dev.keyturn.client.web;

import java.io.IOException;
import java.util.Optional;

/**
 * The few things the license routes and the mode gate need from an HTTP request, so that they do
 * not depend on a framework. {@link KeyturnFilter} adapts a servlet request; another framework's
 * adapter is a dozen lines.
 */
public interface WebRequest {
  /** Upper case: {@code GET}, {@code POST}, … */
  String method();

  /**
   * The decoded path inside the application, without the context path, exactly as the framework
   * routes it (for a servlet: servlet path + path info). Deciding on any other form of the path
   * would let {@code /license/..;/notes} reach a product route unchecked.
   */
  String path();

  /** The application's context path, empty at the root. Links in pages are prefixed with it. */
  String contextPath();

  Optional<String> header(String name);

  Optional<String> queryParameter(String name);

  /**
   * The body, read once.
   *
   * @throws PayloadTooLargeException when it is longer than {@code maxBytes}
   */
  byte[] body(int maxBytes) throws IOException;
}
