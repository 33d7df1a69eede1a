package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.lifecycle.Policy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vectors/verification.json}: license files (as bytes) and what {@code verify} says about
 * them. Every case starts from a file the Java writer produced and changes it as a mail program, an
 * editor or an attacker would.
 */
final class VerificationVectors {
  private static final Instant AT = Fixtures.MID_TERM;
  private static final String DOMAIN = Fixtures.INSTANCE_DOMAIN;

  private final List<VerificationCase> cases = new ArrayList<>();
  private final String base = sign(Fixtures.baseLicense().build()).toToml();

  private VerificationVectors() {}

  static ObjectNode build() {
    VerificationVectors v = new VerificationVectors();
    v.valid();
    v.singleValueChanges();
    v.addedAndRemovedKeys();
    v.errorCodes();
    v.mail();
    v.hostile();
    v.customPolicy();
    ObjectNode root =
        Vectors.header(
            "verification",
            "License files and the result of verify(file, key_ring, at, instance_domain).");
    ArrayNode out = root.putArray("cases");
    java.util.Set<String> names = new java.util.HashSet<>();
    for (VerificationCase c : v.cases) {
      if (!names.add(c.name())) {
        throw new IllegalStateException("two cases named " + c.name());
      }
      out.add(c.toJson());
    }
    root.set("instance_domains", instanceDomains());
    return root;
  }

  /** The one normalization of instance domains, on both sides of INSTANCE_MISMATCH. */
  private static ArrayNode instanceDomains() {
    ArrayNode out = JsonOut.array();
    for (String raw :
        List.of(
            "tools.acme.example",
            "Tools.ACME.Example",
            "  tools.acme.example  ",
            "https://tools.acme.example/admin?x=1",
            "HTTP://Tools.Acme.Example:8443/",
            "tools.acme.example.",
            "tools.acme.example:443",
            "xn--bcher-kva.example",
            "192.168.0.10",
            "localhost",
            "",
            "   ",
            "tools acme.example",
            "-tools.example",
            "tools_acme.example",
            "b\u00fccher.example",
            "https://",
            "a".repeat(254))) {
      ObjectNode o = out.addObject();
      o.put("input", raw);
      try {
        o.put("normalized", InstanceDomain.normalize(raw));
        o.putNull("error");
      } catch (IllegalArgumentException e) {
        o.putNull("normalized");
        o.put("error", e.getMessage());
      }
    }
    return out;
  }

  // ---- valid files ----

  private void valid() {
    String g = "valid";
    add(g, "base", "the base license, verified in the middle of its term", base);
    add(
        g,
        "no-instance-domain-given",
        "a product without an instance domain checks none",
        base,
        "default",
        AT,
        null);
    add(
        g,
        "instance-domain-normalized",
        "the product's domain is normalized (case, scheme, port, path, trailing dot) before comparing",
        base,
        "default",
        AT,
        "HTTPS://Tools.Acme.Example.:8443/admin");
    add(
        g,
        "unbound-license",
        "a license without instance_domain is valid on any instance",
        signText(Fixtures.baseLicense().instanceDomain(null)),
        "default",
        AT,
        "other.example");
    add(
        g,
        "rotated-key",
        "a license signed with the old key before the rotation; the ring keeps the old public key",
        signText(Fixtures.baseLicense().id("lic-conformance-0000"), Fixtures.OLD_KEY));
    add(
        g,
        "overage-percent",
        "[license.overage_percent] grants 10 % above projects and 20 % above seats; signed like the rest",
        signText(
            Fixtures.baseLicense().overagePercent("projects", 10).overagePercent("seats", 20)));
    add(
        g,
        "at-not-before",
        "valid from not_before inclusive",
        base,
        "default",
        Fixtures.NOT_BEFORE,
        DOMAIN);
    add(
        g,
        "last-second",
        "valid until one second before expires_at",
        base,
        "default",
        Fixtures.EXPIRES_AT.minusSeconds(1),
        DOMAIN);
    add(
        g,
        "minimal-subscription",
        "unlimited seats, no features, tags or limits, the subscription preset with read-only grace",
        signText(
            Fixtures.baseLicense()
                .seats(0)
                .features(List.of())
                .tags(List.of())
                .limits(Map.of())
                .policy(new LicensePolicy("subscription", 7, GraceMode.READ_ONLY))));
    add(
        g,
        "extensions-every-type",
        "unknown [license] and [license.policy] keys of every TOML type are signed and kept",
        signText(
            Fixtures.baseLicense()
                .extension("build", 7L)
                .extension("offset", -42L)
                .extension("ratio", 1.5)
                .extension("tenth", 0.1)
                .extension("trial", true)
                .extension("renewal_date", LocalDate.parse("2027-10-01"))
                .extension("maintenance_window", LocalDateTime.parse("2027-01-02T03:04:05"))
                .extension("daily_check", LocalTime.parse("09:30:00"))
                .extension("signed_off_at", Instant.parse("2026-11-19T08:00:00Z"))
                .extension("regions", List.of("eu", "us"))
                .extension("mixed", List.of(1L, "two", 3.0, false))
                .extension("support", sorted(Map.of("level", "gold", "hours", 24L)))
                .extension("note", "Zo\u00eb said \"hi\" \\ then\ttabbed\nand left")
                .policy(
                    new LicensePolicy(
                        "appliance", 60, GraceMode.FULL, Map.of("reminder_hour", 9L)))));
    add(
        g,
        "extensions-special-floats",
        "inf, -inf, nan and -0.0 keep their IEEE-754 bits in the canonical form",
        signText(
            Fixtures.baseLicense()
                .extension("pos_inf", Double.POSITIVE_INFINITY)
                .extension("neg_inf", Double.NEGATIVE_INFINITY)
                .extension("not_a_number", Double.NaN)
                .extension("neg_zero", -0.0)));
    add(
        g,
        "control-characters",
        "control characters in strings are escaped in the file and in the canonical form",
        signText(Fixtures.baseLicense().customer("Acme\u0000Corp\u0001\u001f\u007f")));
    String unicodeCustomer = "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale \u65e5\u672c \ud83d\ude00";
    String unicode = signText(Fixtures.baseLicense().customer(unicodeCustomer));
    add(g, "unicode-literal", "non-ASCII text is signed as UTF-8, literally", unicode);
    add(
        g,
        "unicode-escapes",
        "the same license with the customer written as TOML \\u and \\U escapes",
        replace(
            unicode,
            "customer = \"" + unicodeCustomer + "\"",
            "customer = \"Soci\\u00E9t\\u00e9 G\\u00E9n\\u00e9rale \\u65E5\\u672C \\U0001F600\""));
    add(
        g,
        "max-string-length",
        "a string of exactly ReadLimits.maxStringLength (4096) characters",
        signText(Fixtures.baseLicense().customer("A".repeat(4096))));
    add(
        g,
        "max-array-length",
        "an array of exactly ReadLimits.maxArrayLength (1024) items",
        signText(Fixtures.baseLicense().features(numbered("f", 1024))));
    add(
        g,
        "max-nesting-depth",
        "an extension nested exactly ReadLimits.maxNestingDepth (8) levels deep (root = 1)",
        signText(Fixtures.baseLicense().extension("deep", nestedList(6))));
    add(
        g,
        "max-file-size",
        "a file of exactly ReadLimits.maxFileBytes (65536) bytes",
        padTo(base, 65536));
  }

  // ---- one value changed after signing ----

  private void singleValueChanges() {
    String g = "single-value-change";
    change(g, "id", "id = \"lic-conformance-0001\"", "id = \"lic-conformance-0002\"");
    String overage = signText(Fixtures.baseLicense().overagePercent("projects", 10));
    for (String[] c :
        List.of(
            new String[] {"raised", "an overage allowance raised after signing", "projects = 50"},
            new String[] {"negative", "an overage allowance below 0", "projects = -5"},
            new String[] {"too-large", "an overage allowance above 1000 %", "projects = 1001"},
            new String[] {
              "not-integer", "an overage allowance that is a string", "projects = \"10\""
            },
            new String[] {
              "on-unset-limit",
              "an overage allowance for a limit the license does not set",
              "cpus = 10"
            })) {
      add(g, "overage-percent-" + c[0], c[1], replace(overage, "projects = 10\n", c[2] + "\n"));
    }
    change(
        g,
        "subscription-id",
        "subscription_id = \"sub-conformance-01\"",
        "subscription_id = \"sub-conformance-02\"");
    change(g, "customer-case", "customer = \"Acme Corp\"", "customer = \"ACME Corp\"");
    change(g, "customer-trailing-space", "customer = \"Acme Corp\"", "customer = \"Acme Corp \"");
    change(
        g,
        "instance-domain",
        "instance_domain = \"tools.acme.example\"",
        "instance_domain = \"tools.evil.example\"");
    change(g, "tier", "tier = \"enterprise\"", "tier = \"enterprise-plus\"");
    change(g, "seats-up", "seats = 25", "seats = 26");
    change(g, "seats-unlimited", "seats = 25", "seats = 0");

    change(
        g, "features-removed-one", "features = [\"sso\", \"audit-log\"]", "features = [\"sso\"]");
    change(
        g,
        "features-added-one",
        "features = [\"sso\", \"audit-log\"]",
        "features = [\"sso\", \"audit-log\", \"ha\"]");
    change(
        g,
        "features-reordered",
        "features = [\"sso\", \"audit-log\"]",
        "features = [\"audit-log\", \"sso\"]");
    change(g, "tags-emptied", "tags = [\"conformance\"]", "tags = []");
    change(
        g,
        "issued-at-plus-one-second",
        "issued_at = 2026-11-20T10:00:00Z",
        "issued_at = 2026-11-20T10:00:01Z");
    change(
        g,
        "not-before-earlier",
        "not_before = 2026-11-22T00:00:00Z",
        "not_before = 2026-11-21T00:00:00Z");
    change(
        g,
        "expires-at-one-year-later",
        "expires_at = 2027-11-22T00:00:00Z",
        "expires_at = 2028-11-22T00:00:00Z");
    change(
        g,
        "expires-at-one-second-later",
        "expires_at = 2027-11-22T00:00:00Z",
        "expires_at = 2027-11-22T00:00:01Z");
    change(g, "limit-raised", "projects = 100", "projects = 1000");
    change(g, "limit-zero", "storage_gb = 500", "storage_gb = 0");
    change(g, "policy-preset", "preset = \"appliance\"", "preset = \"subscription\"");
    change(g, "policy-grace-days", "grace_days = 60", "grace_days = 90");
    change(g, "policy-grace-mode", "grace_mode = \"full\"", "grace_mode = \"read-only\"");
    change(g, "signature-key-id-other-trusted", "key_id = \"2026-a\"", "key_id = \"2025-a\"");
    String sig =
        Fixtures.signingKey(Fixtures.CURRENT_KEY)
            .sign(Fixtures.baseLicense().build())
            .signature()
            .value();
    String firstLine = sig.substring(0, 44);
    char c = firstLine.charAt(10);
    change(
        g,
        "signature-one-character",
        firstLine,
        firstLine.substring(0, 10) + (c == 'A' ? 'B' : 'A') + firstLine.substring(11));
    change(g, "format-3", "format = 1", "format = 3");
    change(g, "format-1-file-as-2", "format = 1", "format = 2");
    change(g, "format-0", "format = 1", "format = 0");
    change(g, "seats-float", "seats = 25", "seats = 25.0");
    change(g, "seats-string", "seats = 25", "seats = \"25\"");
    change(g, "seats-negative", "seats = 25", "seats = -25");
    change(
        g,
        "expires-at-local-datetime",
        "expires_at = 2027-11-22T00:00:00Z",
        "expires_at = 2027-11-22T00:00:00");
    change(
        g, "expires-at-local-date", "expires_at = 2027-11-22T00:00:00Z", "expires_at = 2027-11-22");
    change(
        g,
        "expires-before-not-before",
        "expires_at = 2027-11-22T00:00:00Z",
        "expires_at = 2026-11-21T00:00:00Z");
    change(g, "policy-preset-unknown", "preset = \"appliance\"", "preset = \"custom\"");
    change(g, "policy-grace-mode-unknown", "grace_mode = \"full\"", "grace_mode = \"half\"");
    change(g, "policy-grace-days-too-long", "grace_days = 60", "grace_days = 3651");
    change(g, "customer-empty", "customer = \"Acme Corp\"", "customer = \"\"");
    change(g, "limit-string", "projects = 100", "projects = \"100\"");
    change(
        g,
        "instance-domain-invalid",
        "instance_domain = \"tools.acme.example\"",
        "instance_domain = \"tools acme\"");
    String ext = signText(Fixtures.baseLicense().extension("build", 7L));
    add(
        g,
        "extension-integer-to-float",
        "an unknown key's value changed type: 7 to 7.0",
        replace(ext, "build = 7\n", "build = 7.0\n"));
    add(
        g,
        "extension-integer-to-string",
        "an unknown key's value changed type: 7 to \"7\"",
        replace(ext, "build = 7\n", "build = \"7\"\n"));
  }

  // ---- keys added or removed ----

  private void addedAndRemovedKeys() {
    String g = "added-removed-keys";
    change(
        g,
        "added-license-key",
        "tier = \"enterprise\"\n",
        "tier = \"enterprise\"\ncolor = \"red\"\n");
    change(
        g, "added-empty-table", "\n[license.limits]\n", "\n[license.extra]\n\n[license.limits]\n");
    change(g, "added-limit", "projects = 100\n", "projects = 100\nusers = 10\n");
    change(
        g, "added-policy-key", "grace_mode = \"full\"\n", "grace_mode = \"full\"\nstrict = true\n");
    change(g, "removed-tags", "tags = [\"conformance\"]\n", "");
    change(g, "removed-features", "features = [\"sso\", \"audit-log\"]\n", "");
    change(g, "removed-instance-domain", "instance_domain = \"tools.acme.example\"\n", "");
    change(g, "removed-limit", "storage_gb = 500\n", "");
    change(
        g, "removed-limits-table", "\n[license.limits]\nprojects = 100\nstorage_gb = 500\n", "\n");
    change(g, "removed-required-tier", "tier = \"enterprise\"\n", "");
    change(g, "removed-required-expires-at", "expires_at = 2027-11-22T00:00:00Z\n", "");
    change(
        g,
        "removed-policy-table",
        "\n[license.policy]\npreset = \"appliance\"\ngrace_days = 60\ngrace_mode = \"full\"\n",
        "\n");
    String ext = signText(Fixtures.baseLicense().extension("build", 7L));
    add(g, "extension-kept", "a license signed with an unknown key verifies with it", ext);
    add(
        g,
        "extension-dropped",
        "dropping an unknown key that was signed breaks the signature",
        replace(ext, "build = 7\n", ""));
    change(g, "added-top-level-key", "format = 1\n", "format = 1\nvendor = \"acme\"\n");
    change(
        g,
        "added-signature-key",
        "key_id = \"2026-a\"\n",
        "key_id = \"2026-a\"\ncomment = \"hi\"\n");
    change(g, "removed-format", "format = 1\n", "");
    add(
        g,
        "removed-signature-table",
        "the [signature] table is gone",
        base.substring(0, base.indexOf("[signature]")));
    change(g, "removed-license-table", "[license]\n", "[licence]\n");
    change(g, "removed-signature-key-id", "key_id = \"2026-a\"\n", "");
    change(
        g,
        "added-bad-key-name",
        "tier = \"enterprise\"\n",
        "tier = \"enterprise\"\n\"spaced key\" = 1\n");
  }

  // ---- each verification code ----

  private void errorCodes() {
    String g = "error-code";
    add(g, "malformed-empty-file", "an empty file", "");
    add(
        g,
        "malformed-not-toml",
        "text that is not TOML",
        "Dear customer, please find your license attached.\n");
    add(
        g,
        "malformed-json",
        "a JSON document instead of TOML",
        "{\"format\": 1, \"license\": {}}\n");
    change(g, "unsupported-algorithm", "algorithm = \"ed25519\"", "algorithm = \"rsa-sha256\"");
    change(
        g,
        "malformed-signature-not-base64",
        "key_id = \"2026-a\"\nvalue = \"\"\"\n",
        "key_id = \"2026-a\"\nvalue = \"\"\"\n*");
    String sig =
        Fixtures.signingKey(Fixtures.CURRENT_KEY)
            .sign(Fixtures.baseLicense().build())
            .signature()
            .value();
    String shortSig =
        Base64.getEncoder().encodeToString(Arrays.copyOf(Base64.getDecoder().decode(sig), 63));
    add(
        g,
        "malformed-signature-63-bytes",
        "a signature one byte short",
        replaceSignature(base, shortSig));
    add(
        g,
        "unknown-key-id-rogue",
        "signed by a key that is in no key ring",
        signText(Fixtures.baseLicense(), Fixtures.ROGUE_KEY));
    add(
        g,
        "unknown-key-id-unknown",
        "names a key id that no ring has ever held",
        signWith(
            Fixtures.baseLicense(), Fixtures.impostor(Fixtures.UNKNOWN_KEY, Fixtures.ROGUE_KEY)));
    add(
        g,
        "unknown-key-id-old-key-dropped",
        "a license of the old key, verified by a ring that dropped it after the rotation",
        signText(Fixtures.baseLicense().id("lic-conformance-0000"), Fixtures.OLD_KEY),
        "current-only",
        AT,
        DOMAIN);
    add(
        g,
        "signature-mismatch-impostor",
        "names the current key but was signed by another private key",
        signWith(
            Fixtures.baseLicense(), Fixtures.impostor(Fixtures.CURRENT_KEY, Fixtures.ROGUE_KEY)));
    add(
        g,
        "instance-mismatch",
        "verified by another instance",
        base,
        "default",
        AT,
        "other.example");
    add(
        g,
        "not-yet-valid",
        "one second before not_before",
        base,
        "default",
        Fixtures.NOT_BEFORE.minusSeconds(1),
        DOMAIN);
    add(
        g,
        "expired-at-expiry",
        "at expires_at exactly",
        base,
        "default",
        Fixtures.EXPIRES_AT,
        DOMAIN);
    add(
        g,
        "expired-in-grace",
        "30 days after expiry (the lifecycle still gives grace)",
        base,
        "default",
        Fixtures.EXPIRES_AT.plusSeconds(30L * 86400),
        DOMAIN);
    add(
        g,
        "order-instance-before-expiry",
        "wrong instance and expired: the instance is named first",
        base,
        "default",
        Fixtures.EXPIRES_AT.plusSeconds(86400),
        "other.example");
    add(
        g,
        "order-unknown-key-before-signature",
        "unknown key and tampered: the unknown key is named first",
        replace(signText(Fixtures.baseLicense(), Fixtures.ROGUE_KEY), "seats = 25", "seats = 26"));
    add(
        g,
        "order-signature-before-time",
        "tampered and expired: the signature is named first",
        replace(base, "seats = 25", "seats = 26"),
        "default",
        Fixtures.EXPIRES_AT.plusSeconds(86400),
        DOMAIN);
    add(
        g,
        "order-unsupported-before-malformed-signature",
        "format 3 with a broken signature: the format is named first",
        replace(replace(base, "format = 1", "format = 3"), "algorithm = \"ed25519\"\n", ""));
  }

  // ---- what mail programs and editors do ----

  private void mail() {
    String g = "mail";
    add(
        g,
        "integer-in-hex",
        "seats = 25 written as 0x19: the value is signed, not the text",
        replace(base, "seats = 25", "seats = 0x19"));
    add(g, "crlf", "every line ending turned into CRLF", base.replace("\n", "\r\n"));
    add(g, "reindented", "every line indented with spaces and tabs", indent(base));
    add(
        g,
        "comments",
        "comment lines and trailing comments added",
        replace(
            replace(
                base, "seats = 25\n", "# seats agreed on the phone\nseats = 25 # see contract\n"),
            "[license.policy]\n",
            "[license.policy] # the lifecycle\n"));
    add(
        g,
        "blank-lines",
        "blank lines added and the final newline removed",
        base.replace("\n\n", "\n\n\n\n").stripTrailing());
    add(
        g,
        "trailing-whitespace",
        "spaces and tabs at the end of lines",
        base.replace("\n", " \t\n"));
    String sig =
        Fixtures.signingKey(Fixtures.CURRENT_KEY)
            .sign(Fixtures.baseLicense().build())
            .signature()
            .value();
    add(
        g,
        "signature-rewrapped",
        "the signature re-wrapped at 19 columns with indentation",
        replaceSignatureBlock(base, "\"\"\"\n" + wrap(sig, 19, "    ") + "\"\"\""));
    add(
        g,
        "signature-one-line",
        "the signature on one line as a basic string",
        replaceSignatureBlock(base, "\"" + sig + "\""));
    add(
        g,
        "signature-literal-string",
        "the signature as a multi-line literal string",
        replaceSignatureBlock(base, "'''\n" + wrap(sig, 32, "") + "'''"));
    add(g, "bom", "a UTF-8 byte-order mark at the start", "\ufeff" + base);
    add(
        g,
        "bom-crlf",
        "byte-order mark and CRLF, as some Windows editors save",
        "\ufeff" + base.replace("\n", "\r\n"));
    add(
        g,
        "offsets-plus-09",
        "every datetime written with a +09:00 offset (the same instants)",
        offsets(base, "+09:00", 9));
    add(
        g,
        "offsets-minus-03",
        "every datetime written with a -03:00 offset (the same instants)",
        offsets(base, "-03:00", -3));
    add(
        g,
        "datetime-space-and-fraction",
        "a space instead of T, a lower-case z and zero fractional seconds",
        replace(
            base, "expires_at = 2027-11-22T00:00:00Z", "expires_at = 2027-11-22 00:00:00.000z"));
    add(
        g,
        "reordered-tables",
        "[signature] first, [license.policy] before [license.limits], keys reversed",
        reorder(base));
    add(
        g,
        "inline-tables",
        "limits and policy written as inline tables inside [license]",
        inlineTables(base));
    add(
        g,
        "dotted-keys",
        "limits and policy written as dotted keys inside [license]",
        dottedKeys(base));
    add(
        g,
        "literal-strings",
        "strings written as literal strings in single quotes",
        replace(
            replace(base, "customer = \"Acme Corp\"", "customer = 'Acme Corp'"),
            "tier = \"enterprise\"",
            "tier = '''enterprise'''"));
    add(
        g,
        "everything-at-once",
        "BOM, CRLF, indentation, comments, offsets, reordered tables and a re-wrapped signature together",
        "\ufeff"
            + indent(
                    replaceSignatureBlock(
                        offsets(
                            reorder(replace(base, "seats = 25\n", "seats = 25 # as agreed\n")),
                            "+09:00",
                            9),
                        "\"\"\"\n" + wrap(sig, 30, "  ") + "\"\"\""))
                .replace("\n", "\r\n"));
  }

  // ---- hostile input ----

  private void hostile() {
    String g = "hostile";
    add(g, "file-too-large", "one byte more than ReadLimits.maxFileBytes", padTo(base, 65537));

    add(
        g,
        "string-too-long",
        "a string one character longer than ReadLimits.maxStringLength",
        signText(Fixtures.baseLicense().customer("A".repeat(4097))));
    add(
        g,
        "array-too-long",
        "an array one item longer than ReadLimits.maxArrayLength",
        signText(Fixtures.baseLicense().features(numbered("f", 1025))));
    add(
        g,
        "nesting-too-deep-in-table",
        "an extension one level deeper than ReadLimits.maxNestingDepth, caught after parsing",
        signText(Fixtures.baseLicense().extension("deep", nestedList(7))));
    add(
        g,
        "nesting-too-deep-brackets",
        "brackets nested far deeper than the limit, caught before parsing",
        replace(
            base,
            "tier = \"enterprise\"\n",
            "deep = " + "[".repeat(12) + "1" + "]".repeat(12) + "\n"));
    add(
        g,
        "nesting-unclosed-brackets",
        "ten thousand opening brackets",
        replace(base, "tier = \"enterprise\"\n", "deep = " + "[".repeat(10000) + "\n"));
    add(
        g,
        "nesting-inline-tables",
        "inline tables nested deeper than the limit",
        replace(
            base,
            "tier = \"enterprise\"\n",
            "deep = " + "{a = ".repeat(12) + "1" + "}".repeat(12) + "\n"));
    add(
        g,
        "brackets-inside-strings",
        "brackets inside strings and comments do not count as nesting (then the signature fails)",
        replace(
            base,
            "tier = \"enterprise\"\n",
            "tier = \"enterprise\"\nnote = \"" + "[".repeat(40) + "\" # " + "{".repeat(40) + "\n"));
    change(
        g, "duplicate-key", "tier = \"enterprise\"\n", "tier = \"enterprise\"\ntier = \"free\"\n");
    change(g, "duplicate-key-same-value", "seats = 25\n", "seats = 25\nseats = 25\n");
    add(
        g,
        "duplicate-table",
        "the [license.limits] table twice",
        replace(
            base, "\n[license.policy]\n", "\n[license.limits]\nusers = 1\n\n[license.policy]\n"));
    add(
        g,
        "duplicate-signature-table",
        "two [signature] tables",
        base + "\n[signature]\nalgorithm = \"ed25519\"\n");
    change(g, "integer-overflow", "seats = 25", "seats = 99999999999999999999");
    change(
        g, "lone-surrogate-escape", "customer = \"Acme Corp\"", "customer = \"Acme \\uD800 Corp\"");
    change(
        g,
        "escape-beyond-unicode",
        "customer = \"Acme Corp\"",
        "customer = \"Acme \\U00110000 Corp\"");
    change(g, "invalid-escape", "customer = \"Acme Corp\"", "customer = \"Acme \\x41 Corp\"");
    change(g, "raw-control-character", "customer = \"Acme Corp\"", "customer = \"Acme\u0007Corp\"");
    change(g, "raw-nul-outside-string", "tier = \"enterprise\"\n", "tier = \"enterprise\"\u0000\n");
    String nfc = signText(Fixtures.baseLicense().customer("Caf\u00e9 Ltd"));
    add(g, "unicode-nfc-signed", "a precomposed \u00e9, signed as it is", nfc);
    add(
        g,
        "unicode-nfd-changed",
        "the same text with a decomposed e + U+0301: no Unicode normalization, the signature breaks",
        replace(nfc, "customer = \"Caf\u00e9", "customer = \"Cafe\u0301"));
    add(
        g,
        "bidi-override",
        "a right-to-left override inside a string is signed like any character",
        signText(Fixtures.baseLicense().customer("Acme \u202eproC")));
    byte[] utf8 = base.getBytes(StandardCharsets.UTF_8);
    add(
        g,
        "invalid-utf8-ff",
        "a 0xFF byte inside the customer string",
        spliceBytes(utf8, "customer = \"Acme Corp", new byte[] {(byte) 0xff}));
    add(
        g,
        "invalid-utf8-overlong",
        "an overlong encoding of '/' (C0 AF)",
        spliceBytes(utf8, "customer = \"Acme Corp", new byte[] {(byte) 0xc0, (byte) 0xaf}));
    add(
        g,
        "invalid-utf8-surrogate",
        "a UTF-8 encoded surrogate (ED A0 80)",
        spliceBytes(
            utf8, "customer = \"Acme Corp", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
    byte[] truncated = Arrays.copyOf(utf8, utf8.length + 1);
    truncated[utf8.length] = (byte) 0xe6;
    add(
        g,
        "invalid-utf8-truncated",
        "a multi-byte sequence cut off at the end of the file",
        truncated,
        "default",
        AT,
        DOMAIN);
    byte[] utf16 = ("\ufeff" + base).getBytes(StandardCharsets.UTF_16LE);
    add(
        g,
        "utf16-file",
        "the file saved as UTF-16 with a byte-order mark",
        utf16,
        "default",
        AT,
        DOMAIN);
  }

  // ---- helpers ----

  // ---- a whole custom policy signed in: format 2 ----

  private void customPolicy() {
    String g = "custom-policy";
    String partner = signText(Fixtures.partnerLicense());
    add(g, "partner", "a format-2 license carrying the whole partner policy", partner);
    add(
        g,
        "partner-in-grace",
        "authentic after expiry: the product goes on in the signed policy's read-only grace",
        partner,
        "default",
        Fixtures.EXPIRES_AT.plusSeconds(86400 * 30L),
        DOMAIN);
    add(
        g,
        "no-reminders-nobody-told",
        "no reminders, no grace, nobody told at the lock; unknown policy keys are kept",
        signText(
            Fixtures.baseLicense()
                .id("lic-conformance-0022")
                .policy(
                    withExtension(
                        Policy.builder("silent")
                            .grace(0, GraceMode.FULL)
                            .expiryNotify(java.util.Set.of())
                            .lockNotify(java.util.Set.of())
                            .build()
                            .toLicensePolicy(),
                        "reminder_hour",
                        9L))));
    add(
        g,
        "reminders-inline",
        "the reminders as an inline array of inline tables: the value is signed, not the layout",
        inlineReminders(partner));
    String[][] changes = {
      {"days-before", "days_before = 3\n", "days_before = 2\n"},
      {"recipient-removed", "notify = [\"account-team\", \"webhook\"]", "notify = [\"webhook\"]"},
      {"lock-action", "lock_action = \"suspend\"", "lock_action = \"lock\""},
      {"name", "name = \"partner\"", "name = \"partner-2\""},
      {"grace-days", "grace_days = 90", "grace_days = 365"},
      {"expiry-notify", "expiry_notify = [\"customer\", \"support\"]", "expiry_notify = []"},
    };
    for (String[] c : changes) {
      add(
          g,
          "changed-" + c[0],
          "'" + oneLine(c[1]) + "' became '" + oneLine(c[2]) + "'",
          replace(partner, c[1], c[2]));
    }
    String[][] malformed = {
      {"less-insistent", "banner = \"danger\"", "banner = \"info\""},
      {"banner-unknown", "banner = \"danger\"", "banner = \"critical\""},
      {"dismissal-unknown", "dismissal = \"for-24h\"", "dismissal = \"forever\""},
      {"recipient-unknown", "lock_notify = [\"webhook\"]", "lock_notify = [\"sales\"]"},
      {
        "recipients-out-of-order",
        "notify = [\"account-team\", \"webhook\"]",
        "notify = [\"webhook\", \"account-team\"]"
      },
      {"recipient-twice", "notify = [\"customer\"]\n", "notify = [\"customer\", \"customer\"]\n"},
      {"lock-action-unknown", "lock_action = \"suspend\"", "lock_action = \"delete\""},
      {"days-before-zero", "days_before = 3\n", "days_before = 0\n"},
      {"days-before-too-many", "days_before = 30\n", "days_before = 366\n"},
      {"reminders-out-of-order", "days_before = 30\n", "days_before = 10\n"},
      {"reminders-twice", "days_before = 30\n", "days_before = 15\n"},
      {"reminder-unknown-key", "days_before = 3\n", "days_before = 3\nsound = \"bell\"\n"},
      {"reminder-notify-missing", "notify = [\"customer\"]\n", ""},
      {"lock-notify-missing", "lock_notify = [\"webhook\"]\n", ""},
      {"name-missing", "name = \"partner\"\n", ""},
      {"preset-in-format-2", "name = \"partner\"", "preset = \"appliance\""},
      {"custom-file-as-format-1", "format = 2", "format = 1"},
    };
    for (String[] c : malformed) {
      String text =
          c[0].equals("reminders-out-of-order") || c[0].equals("reminders-twice")
              ? replaceFirst(partner, c[1], c[2])
              : c[0].equals("less-insistent")
                  ? replace(
                      replace(partner, c[1], c[2]),
                      "dismissal = \"not-dismissible\"",
                      "dismissal = \"until-next-stage\"")
                  : replace(partner, c[1], c[2]);
      add(g, "malformed-" + c[0], "'" + oneLine(c[1]) + "' became '" + oneLine(c[2]) + "'", text);
    }
    add(
        g,
        "malformed-reminders-not-tables",
        "reminders is an array of strings, not of tables",
        withRemindersLine(partner, "reminders = [\"D-30\"]\n"));
    add(
        g,
        "format-3",
        "a format newer than this reader: refused, with a message to update the product",
        replace(partner, "format = 2", "format = 3"));
  }

  private static LicensePolicy withExtension(LicensePolicy p, String key, Object value) {
    return new LicensePolicy(
        p.preset(), p.graceDays(), p.graceMode(), Map.of(key, value), p.rules());
  }

  /** The same file with its [[license.policy.reminders]] sections as one inline array. */
  private static String inlineReminders(String text) {
    int start = text.indexOf("\n[[license.policy.reminders]]");
    int end = text.indexOf("\n[signature]");
    List<String> tables = new ArrayList<>();
    for (String section :
        text.substring(start, end).split("\\[\\[license\\.policy\\.reminders\\]\\]")) {
      if (!section.isBlank()) {
        tables.add("{ " + String.join(", ", section.strip().split("\n")) + " }");
      }
    }
    return withRemindersLine(text, "reminders = [\n  " + String.join(",\n  ", tables) + ",\n]\n");
  }

  /**
   * Drops the [[license.policy.reminders]] sections and sets {@code line} at the top of the policy.
   */
  private static String withRemindersLine(String text, String line) {
    int start = text.indexOf("\n[[license.policy.reminders]]");
    int end = text.indexOf("\n[signature]");
    return replace(text.substring(0, start), "[license.policy]\n", "[license.policy]\n" + line)
        + text.substring(end);
  }

  private static String replaceFirst(String text, String from, String to) {
    int at = text.indexOf(from);
    if (at < 0) {
      throw new IllegalStateException("'" + from + "' is not in the license text");
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  private void change(String group, String name, String from, String to) {
    add(
        group,
        name,
        "'" + oneLine(from) + "' became '" + oneLine(to) + "'",
        replace(base, from, to));
  }

  private void add(String group, String name, String description, byte[] file) {
    add(group, name, description, file, "default", AT, DOMAIN);
  }

  private void add(String group, String name, String description, String text) {
    add(group, name, description, text, "default", AT, DOMAIN);
  }

  private void add(
      String group,
      String name,
      String description,
      String text,
      String ring,
      Instant at,
      String domain) {
    add(group, name, description, text.getBytes(StandardCharsets.UTF_8), ring, at, domain);
  }

  private void add(
      String group,
      String name,
      String description,
      byte[] bytes,
      String ring,
      Instant at,
      String domain) {
    cases.add(
        new VerificationCase(group, group + "/" + name, description, bytes, ring, at, domain));
  }

  private static SignedLicense sign(License license) {
    return Fixtures.signingKey(Fixtures.CURRENT_KEY).sign(license);
  }

  private static String signText(License.Builder license) {
    return sign(license.build()).toToml();
  }

  private static String signText(License.Builder license, String keyId) {
    return Fixtures.signingKey(keyId).sign(license.build()).toToml();
  }

  private static String signWith(License.Builder license, dev.keyturn.core.crypto.SigningKey key) {
    return key.sign(license.build()).toToml();
  }

  static String replace(String text, String from, String to) {
    int at = text.indexOf(from);
    if (at < 0 || text.indexOf(from, at + 1) >= 0) {
      throw new IllegalStateException("'" + from + "' is not in the license text exactly once");
    }
    return text.substring(0, at) + to + text.substring(at + from.length());
  }

  private static String oneLine(String s) {
    String shown = s.replace("\n", "\\n");
    return shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
  }

  private static List<String> numbered(String prefix, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  /** {@code depth} arrays inside each other around the integer 1. */
  private static Object nestedList(int depth) {
    Object v = 1L;
    for (int i = 0; i < depth; i++) {
      v = List.of(v);
    }
    return v;
  }

  private static Map<String, Object> sorted(Map<String, Object> m) {
    return new java.util.TreeMap<>(m);
  }

  /** Pads with a comment line before [signature] to exactly {@code size} bytes. */
  private static String padTo(String text, int size) {
    int missing = size - text.getBytes(StandardCharsets.UTF_8).length;
    String filler = "# " + "x".repeat(missing - 3) + "\n";
    String padded = replace(text, "\n[signature]\n", "\n" + filler + "[signature]\n");
    if (padded.getBytes(StandardCharsets.UTF_8).length != size) {
      throw new IllegalStateException("padding missed " + size);
    }
    return padded;
  }

  private static String indent(String text) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (String line : text.split("\n", -1)) {
      if (i++ > 0) {
        b.append('\n');
      }
      // Inside the multi-line signature string indentation is whitespace the reader drops anyway.
      b.append(line.isEmpty() ? "" : (i % 2 == 0 ? "  " : "\t")).append(line);
    }
    return b.toString();
  }

  private static String wrap(String s, int width, String indent) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i += width) {
      b.append(indent).append(s, i, Math.min(s.length(), i + width)).append('\n');
    }
    return b.toString();
  }

  private static String replaceSignatureBlock(String text, String newValue) {
    int start = text.indexOf("value = \"\"\"\n");
    int end = text.indexOf("\"\"\"\n", start + 12);
    return text.substring(0, start) + "value = " + newValue + "\n" + text.substring(end + 4);
  }

  private static String replaceSignature(String text, String value) {
    return replaceSignatureBlock(text, "\"" + value + "\"");
  }

  /** Rewrites the three datetimes of the base license with an offset, naming the same instants. */
  private static String offsets(String text, String offset, int hours) {
    String out = text;
    for (String key : List.of("issued_at", "not_before", "expires_at")) {
      int at = out.indexOf("\n" + key + " = ") + key.length() + 4;
      int end = out.indexOf('\n', at);
      Instant instant = Instant.parse(out.substring(at, end).strip());
      String local =
          instant.atOffset(java.time.ZoneOffset.ofHours(hours)).toLocalDateTime().toString();
      out =
          out.substring(0, at)
              + (local.length() == 16 ? local + ":00" : local)
              + offset
              + out.substring(end);
    }
    return out;
  }

  /** [signature] first, [license.policy] before [license.limits], keys within tables reversed. */
  private static String reorder(String text) {
    Map<String, List<String>> sections = sections(text);
    StringBuilder b = new StringBuilder();
    b.append(String.join("\n", sections.get(""))).append("\n");
    for (String name :
        List.of("[signature]", "[license]", "[license.policy]", "[license.limits]")) {
      List<String> lines = sections.get(name);
      b.append(name).append('\n');
      if (name.equals("[signature]")) {
        lines.forEach(l -> b.append(l).append('\n'));
      } else {
        List<String> reversed = new ArrayList<>(lines);
        Collections.reverse(reversed);
        reversed.forEach(l -> b.append(l).append('\n'));
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String inlineTables(String text) {
    Map<String, List<String>> s = sections(text);
    StringBuilder b = new StringBuilder(String.join("\n", s.get(""))).append("\n[license]\n");
    s.get("[license]").forEach(l -> b.append(l).append('\n'));
    b.append("limits = { ").append(String.join(", ", s.get("[license.limits]"))).append(" }\n");
    b.append("policy = { ").append(String.join(", ", s.get("[license.policy]"))).append(" }\n\n");
    b.append("[signature]\n");
    s.get("[signature]").forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  private static String dottedKeys(String text) {
    Map<String, List<String>> s = sections(text);
    StringBuilder b = new StringBuilder(String.join("\n", s.get(""))).append("\n[license]\n");
    s.get("[license]").forEach(l -> b.append(l).append('\n'));
    s.get("[license.policy]").forEach(l -> b.append("policy.").append(l).append('\n'));
    s.get("[license.limits]").forEach(l -> b.append("limits . ").append(l).append('\n'));
    b.append("\n[signature]\n");
    s.get("[signature]").forEach(l -> b.append(l).append('\n'));
    return b.toString();
  }

  /**
   * The non-blank lines under each table header of a writer-made file ({@code ""} for the lines
   * before the first header); the multi-line signature value stays one entry.
   */
  private static Map<String, List<String>> sections(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String current = "";
    out.put(current, new ArrayList<>());
    StringBuilder multiline = null;
    for (String line : text.split("\n")) {
      if (multiline != null) {
        multiline.append('\n').append(line);
        if (line.equals("\"\"\"")) {
          out.get(current).add(multiline.toString());
          multiline = null;
        }
      } else if (line.startsWith("[")) {
        current = line;
        out.put(current, new ArrayList<>());
      } else if (line.endsWith("\"\"\"")) {
        multiline = new StringBuilder(line);
      } else if (!line.isBlank()) {
        out.get(current).add(line);
      }
    }
    return out;
  }

  private static byte[] spliceBytes(byte[] text, String marker, byte[] insert) {
    byte[] m = marker.getBytes(StandardCharsets.UTF_8);
    int at = indexOf(text, m) + marker.indexOf(' ', marker.indexOf('"')); // after the first word
    byte[] out = new byte[text.length + insert.length];
    System.arraycopy(text, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(text, at, out, at + insert.length, text.length - at);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("marker not found");
  }
}
