package dev.keyturn.server.web;

import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Jackson's binding errors as messages that name the JSON field, without Java class names. */
public final class JsonErrors {
  private JsonErrors() {}

  public static String field(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "body" : sb.toString();
  }

  public static String describe(Throwable cause) {
    if (cause instanceof UnrecognizedPropertyException e) {
      return "unknown field '"
          + field(e)
          + "'; known fields here: "
          + String.join(
              ", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
    }
    if (cause instanceof InvalidFormatException e
        && e.getTargetType() != null
        && e.getTargetType().isEnum()) {
      return "field '"
          + field(e)
          + "' must be one of "
          + Arrays.toString(e.getTargetType().getEnumConstants())
          + ", was '"
          + e.getValue()
          + "'";
    }
    if (cause instanceof MismatchedInputException e && !e.getPath().isEmpty()) {
      return "field '" + field(e) + "' has a value of the wrong type or format";
    }
    if (cause instanceof JacksonException) {
      return "the body is not valid JSON";
    }
    return "the request body is missing or unreadable";
  }

  /** The same, as a validation error of the field, for JSON bound outside a request body. */
  public static ValidationException validation(JacksonException e) {
    String message = describe(e);
    String prefix = "field '" + field(e) + "' ";
    return ValidationException.of(
        field(e), message.startsWith(prefix) ? message.substring(prefix.length()) : message);
  }
}
