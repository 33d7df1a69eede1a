package dev.keyturn.cli.args;

import dev.keyturn.core.lifecycle.Policy;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A lifecycle preset by name. */
public final class PresetArg implements ITypeConverter<Policy> {
  /** Shown in help texts and used as completion candidates. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("appliance", "subscription").iterator();
    }
  }

  @Override
  public Policy convert(String value) {
    return Policy.preset(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "'" + value + "' is not a preset; use appliance or subscription"));
  }
}
