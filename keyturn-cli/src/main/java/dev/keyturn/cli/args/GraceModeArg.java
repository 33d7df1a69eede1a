package dev.keyturn.cli.args;

import dev.keyturn.core.license.GraceMode;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A grace mode as spelled in license files: {@code full} or {@code read-only}. */
public final class GraceModeArg implements ITypeConverter<GraceMode> {
  /** Shown in help texts and used as completion candidates. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(GraceMode.values()).map(GraceMode::tomlName).iterator();
    }
  }

  @Override
  public GraceMode convert(String value) {
    return GraceMode.fromTomlName(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "'" + value + "' is not a grace mode; use full or read-only"));
  }
}
