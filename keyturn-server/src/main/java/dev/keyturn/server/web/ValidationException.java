package dev.keyturn.server.web;

import java.util.List;
import java.util.Map;

/** Bad input, naming every field that is wrong at once, so a form can show them all. */
public final class ValidationException extends KeyturnServerException {
  private static final long serialVersionUID = 1L;

  public ValidationException(List<FieldError> errors) {
    super(ErrorCode.VALIDATION_FAILED, summary(errors), Map.of("errors", List.copyOf(errors)));
  }

  public static ValidationException of(String field, String message) {
    return new ValidationException(List.of(new FieldError(field, message)));
  }

  private static String summary(List<FieldError> errors) {
    StringBuilder sb = new StringBuilder();
    for (FieldError e : errors) {
      sb.append(sb.length() == 0 ? "" : "; ").append(e.field()).append(": ").append(e.message());
    }
    return sb.toString();
  }

  /** One invalid field, by its JSON name. */
  public record FieldError(String field, String message) {}
}
