package dev.keyturn.cli.args;

import dev.keyturn.core.license.InstanceDomain;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An instance domain, normalized the one way the core does it (lower case, no scheme or port). */
public final class InstanceDomainArg implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    try {
      return InstanceDomain.normalize(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          e.getMessage() + "; give a host name like tools.acme.example");
    }
  }
}
