package dev.keyturn.cli.args;

import dev.keyturn.core.crypto.KeyException;
import dev.keyturn.core.crypto.KeyIds;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A key id, checked while parsing so that a bad one is a usage error, not a failed operation. */
public final class KeyIdArg implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return KeyIds.require(value);
    } catch (KeyException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
