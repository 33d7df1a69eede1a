package dev.keyturn.core.license;

import dev.keyturn.core.VerificationCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;
import org.tomlj.TomlVersion;

/**
 * Reads {@code .license.toml} files. Every problem becomes a {@link LicenseFormatException}
 * (MALFORMED or UNSUPPORTED_FORMAT) naming what is wrong; nothing else escapes, whatever the input.
 */
public final class LicenseReader {
  private static final Set<String> TOP_LEVEL_KEYS = Set.of("format", "license", "signature");
  private static final Set<String> SIGNATURE_KEYS = Set.of("algorithm", "key_id", "value");
  private static final int ED25519_SIGNATURE_BYTES = 64;

  private final ReadLimits limits;

  public LicenseReader(ReadLimits limits) {
    this.limits = limits;
  }

  public LicenseReader() {
    this(ReadLimits.DEFAULTS);
  }

  public SignedLicense read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      // Read one byte past the limit, never the whole of an oversized file.
      byte[] bytes = in.readNBytes(limits.maxFileBytes() + 1);
      return read(bytes);
    } catch (IOException e) {
      throw LicenseFormatException.malformed("cannot read " + file + ": " + e.getMessage());
    }
  }

  public SignedLicense read(byte[] bytes) {
    checkSize(bytes.length);
    try {
      return read(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      throw LicenseFormatException.malformed("the file is not valid UTF-8 text");
    }
  }

  public SignedLicense read(String text) {
    // A UTF-8 encoding is never shorter than the number of chars, so the cheap check comes first.
    checkSize(text.length());
    checkSize(text.getBytes(StandardCharsets.UTF_8).length);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a byte-order mark, as some Windows editors add
    }
    NestingScan.check(text, limits.maxNestingDepth());

    TomlParseResult toml;
    try {
      toml = Toml.parse(text, TomlVersion.V1_0_0);
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      // The parser is third-party code: the scan above bounds nesting, and tomlj 1.1.1 checks
      // unicode escapes
      // with `assert`, so under -ea a truncated one (backslash, U, no hex digits) ends here; found
      // by fuzzing.
      throw LicenseFormatException.malformed("not a valid TOML file");
    }
    if (toml.hasErrors()) {
      TomlParseError error = toml.errors().get(0);
      throw LicenseFormatException.malformed(
          "not a valid TOML file: line "
              + error.position().line()
              + ", column "
              + error.position().column()
              + ": "
              + error.getMessage());
    }
    for (String key : toml.keySet()) {
      if (!TOP_LEVEL_KEYS.contains(key)) {
        throw LicenseFormatException.malformed(
            "unexpected top-level key '"
                + key
                + "': a license file holds only format, [license] and [signature]");
      }
    }
    long format = format(toml);
    if (!toml.isTable("license")) {
      throw LicenseFormatException.malformed("the [license] table is missing");
    }
    if (!toml.isTable("signature")) {
      throw LicenseFormatException.malformed(
          "the [signature] table is missing; was the file signed?");
    }
    Map<String, Object> table = convertTable(toml.getTable("license"), "license", 2);
    try {
      LicenseTable.checkKeys("license", table);
    } catch (IllegalArgumentException e) {
      throw LicenseFormatException.malformed(e.getMessage());
    }
    License license = LicenseTable.fromTable(format, table);
    LicenseSignature signature = signature(toml.getTable("signature"));
    return new SignedLicense(format, table, license, signature);
  }

  private void checkSize(int bytes) {
    if (bytes > limits.maxFileBytes()) {
      throw LicenseFormatException.malformed(
          "the file is larger than "
              + limits.maxFileBytes()
              + " bytes (ReadLimits.maxFileBytes); a license file is a few hundred bytes");
    }
  }

  private static long format(TomlParseResult toml) {
    Object format = toml.get("format");
    if (format == null) {
      throw LicenseFormatException.malformed(
          "'format' is missing; a license file starts with format = 1");
    }
    if (!(format instanceof Long f) || f < 1) {
      throw LicenseFormatException.malformed(
          "'format' must be a positive whole number, found " + format);
    }
    if (f > SignedLicense.MAX_FORMAT) {
      throw new LicenseFormatException(
          VerificationCode.UNSUPPORTED_FORMAT,
          "license format "
              + f
              + " is newer than this product understands (format "
              + SignedLicense.MAX_FORMAT
              + "); update the product to use this license");
    }
    return f;
  }

  private static LicenseSignature signature(TomlTable t) {
    for (String key : t.keySet()) {
      if (!SIGNATURE_KEYS.contains(key)) {
        throw LicenseFormatException.malformed("unexpected key '" + key + "' in [signature]");
      }
    }
    String algorithm = signatureString(t, "algorithm");
    if (!LicenseSignature.ED25519.equals(algorithm)) {
      throw new LicenseFormatException(
          VerificationCode.UNSUPPORTED_FORMAT,
          "signature algorithm \""
              + algorithm
              + "\" is not supported; this reader knows \"ed25519\"");
    }
    String keyId = signatureString(t, "key_id");
    // Whitespace is dropped so that a value wrapped by a mail program still reads.
    String value = signatureString(t, "value").replaceAll("\\s+", "");
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw LicenseFormatException.malformed("signature.value is not valid base64");
    }
    if (bytes.length != ED25519_SIGNATURE_BYTES) {
      throw LicenseFormatException.malformed(
          "signature.value must be 64 bytes of Ed25519 signature, found " + bytes.length);
    }
    return new LicenseSignature(algorithm, keyId, value);
  }

  private static String signatureString(TomlTable t, String key) {
    Object v = t.get(List.of(key));
    if (!(v instanceof String s) || s.isBlank()) {
      throw LicenseFormatException.malformed("signature." + key + " must be a non-empty string");
    }
    return s;
  }

  private Map<String, Object> convertTable(TomlTable table, String path, int depth) {
    checkDepth(path, depth);
    Map<String, Object> out = new TreeMap<>();
    for (String key : table.keySet()) {
      out.put(key, convert(table.get(List.of(key)), path + "." + key, depth));
    }
    return out;
  }

  private Object convert(Object value, String path, int depth) {
    if (value instanceof TomlTable t) {
      return convertTable(t, path, depth + 1);
    }
    if (value instanceof TomlArray a) {
      checkDepth(path, depth + 1);
      if (a.size() > limits.maxArrayLength()) {
        throw LicenseFormatException.malformed(
            path
                + " has "
                + a.size()
                + " items, more than "
                + limits.maxArrayLength()
                + " (ReadLimits.maxArrayLength)");
      }
      List<Object> out = new ArrayList<>(a.size());
      for (int i = 0; i < a.size(); i++) {
        out.add(convert(a.get(i), path + "[" + i + "]", depth + 1));
      }
      return List.copyOf(out);
    }
    if (value instanceof String s && s.length() > limits.maxStringLength()) {
      throw LicenseFormatException.malformed(
          path
              + " is "
              + s.length()
              + " characters long, more than "
              + limits.maxStringLength()
              + " (ReadLimits.maxStringLength)");
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof String
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean
        || value instanceof LocalDate
        || value instanceof LocalDateTime
        || value instanceof LocalTime) {
      return value;
    }
    throw LicenseFormatException.malformed(path + " has a value of an unsupported type");
  }

  private void checkDepth(String path, int depth) {
    if (depth > limits.maxNestingDepth()) {
      throw LicenseFormatException.malformed(
          path
              + " is nested "
              + depth
              + " levels deep, more than "
              + limits.maxNestingDepth()
              + " (ReadLimits.maxNestingDepth)");
    }
  }
}
