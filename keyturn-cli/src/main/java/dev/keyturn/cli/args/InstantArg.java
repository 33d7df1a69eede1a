package dev.keyturn.cli.args;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Instants on the command line: {@code 2027-11-22T00:00:00Z}, {@code 2027-11-22T09:00:00+01:00}, or
 * a plain date {@code 2027-11-22}, which means the start of that day in UTC (never the machine's
 * zone, so the same command gives the same license everywhere).
 */
public final class InstantArg implements ITypeConverter<Instant> {
  public static final String FORMS =
      "use 2027-11-22T00:00:00Z, 2027-11-22T09:00:00+01:00 or 2027-11-22 (midnight UTC)";

  @Override
  public Instant convert(String value) {
    return parse(value);
  }

  public static Instant parse(String value) {
    String s = value.strip();
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException e) {
      throw new TypeConversionException("'" + value + "' is not a date or an instant; " + FORMS);
    }
  }
}
