package dev.keyturn.server.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects field errors, then throws them together. */
public final class Validator {
  /** Names of features, limits, capabilities, tags and tiers: safe in files, URLs and metrics. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  // Deliberately plain: one @, a dot in the domain, no spaces. Deliverability is the mailer's job.
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s\"<>,;]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  private final List<ValidationException.FieldError> errors = new ArrayList<>();

  public Validator error(String field, String message) {
    errors.add(new ValidationException.FieldError(field, message));
    return this;
  }

  public boolean check(boolean ok, String field, String message) {
    if (!ok) {
      error(field, message);
    }
    return ok;
  }

  public void text(String value, String field, int max, boolean required) {
    if (value == null || value.isBlank()) {
      check(!required, field, "is required");
      return;
    }
    check(value.length() <= max, field, "must be at most " + max + " characters");
    check(value.chars().noneMatch(Character::isISOControl), field, "must not contain controls");
  }

  public void name(String value, String field) {
    check(
        value != null && NAME.matcher(value).matches(),
        field,
        "'"
            + value
            + "' must be 1 to 64 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
  }

  public void email(String value, String field) {
    check(
        value != null && value.length() <= 254 && EMAIL.matcher(value).matches(),
        field,
        "'" + value + "' is not an e-mail address");
  }

  public void throwIfAny() {
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }
}
