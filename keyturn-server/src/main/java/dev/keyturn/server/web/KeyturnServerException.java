package dev.keyturn.server.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The root of every error the server raises on purpose. It carries its stable {@link ErrorCode}, a
 * message a person can act on, and extra properties that explain it (they appear in the problem
 * body).
 */
public class KeyturnServerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient Map<String, Object> properties;

  public KeyturnServerException(ErrorCode code, String message) {
    this(code, message, Map.of());
  }

  public KeyturnServerException(ErrorCode code, String message, Map<String, ?> properties) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.properties = new LinkedHashMap<>(properties);
  }

  public ErrorCode code() {
    return code;
  }

  public Map<String, Object> properties() {
    return properties;
  }

  public static KeyturnServerException notFound(String what, String id) {
    return new KeyturnServerException(ErrorCode.NOT_FOUND, "no " + what + " '" + id + "'");
  }
}
