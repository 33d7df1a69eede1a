package dev.keyturn.cli.args;

import java.time.DateTimeException;
import java.time.ZoneId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A time zone for showing dates: a region such as Europe/Berlin, or an offset such as +02:00. */
public final class ZoneArg implements ITypeConverter<ZoneId> {
  @Override
  public ZoneId convert(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a time zone; use a region like Europe/Berlin, UTC or +02:00");
    }
  }
}
