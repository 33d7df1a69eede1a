package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.client.store.InstallationKeys;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.client.store.UsageRecord;
import dev.keyturn.client.store.UsageStore;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Banner;
import dev.keyturn.core.lifecycle.LimitUsage;
import dev.keyturn.core.lifecycle.Usage;
import dev.keyturn.core.lifecycle.UsageDecision;
import dev.keyturn.core.lifecycle.UsageStanding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code vectors/usage.json}: the usage standing per limit (within, over the limit, over the
 * allowance), the increase rule, and the signed usage record ({@code usage.json}) every install
 * path checks a downgrade against.
 */
final class UsageVectors {
  /**
   * The state secret of the recorded-usage vectors: {@code
   * SHA-256("keyturn-conformance:state-key")}.
   */
  static final byte[] STATE_KEY = Fixtures.seed("state-key");

  private UsageVectors() {}

  static ObjectNode build() {
    ObjectNode root =
        Vectors.header(
            "usage",
            "Usage standing per limit against a license's limits and overage_percent, the"
                + " increase rule, and the HMAC-signed usage record (usage.json) of the state"
                + " directory.");
    ObjectNode constants = root.putObject("constants");
    constants.put("max_overage_percent", License.MAX_OVERAGE_PERCENT);
    constants.put("trusted_for_seconds", UsageStore.TRUSTED_FOR.toSeconds());
    constants.put("heartbeat_seconds", UsageStore.HEARTBEAT.toSeconds());
    constants.put("months_kept", UsageRecord.MONTHS_KEPT);
    constants.put("mac_domain", "keyturn-usage-v1\\n");
    root.set("standing", standing());
    root.set("increase", increase());
    root.set("errors", errors());
    root.set("records", records());
    return root;
  }

  private record Grant(long seats, Map<String, Long> limits, Map<String, Integer> overage) {
    License license() {
      return Fixtures.baseLicense().seats(seats).limits(limits).overagePercent(overage).build();
    }

    ObjectNode json() {
      ObjectNode o = JsonOut.object();
      o.put("seats", seats);
      o.set("limits", JsonOut.tree(new TreeMap<>(limits)));
      o.set("overage_percent", JsonOut.tree(new TreeMap<>(overage)));
      return o;
    }
  }

  private static final Grant TEN_PERCENT =
      new Grant(25, Map.of("projects", 100L, "storage_gb", 500L), Map.of("projects", 10));
  private static final Grant NO_ALLOWANCE =
      new Grant(25, Map.of("projects", 100L, "storage_gb", 500L), Map.of());
  private static final Grant SEATS =
      new Grant(25, Map.of("projects", 100L), Map.of("seats", 20, "projects", 1000));
  private static final Grant ODD =
      new Grant(0, Map.of("devices", 19L, "cpus", 0L), Map.of("devices", 10, "cpus", 50));

  private static ArrayNode standing() {
    ArrayNode out = JsonOut.array();
    standing(out, "nothing-reported", TEN_PERCENT, Map.of());
    standing(out, "within", TEN_PERCENT, Map.of("projects", 99L, "storage_gb", 500L));
    standing(out, "at-the-limit", TEN_PERCENT, Map.of("projects", 100L));
    standing(out, "one-over-the-limit", TEN_PERCENT, Map.of("projects", 101L));
    standing(out, "at-the-ceiling", TEN_PERCENT, Map.of("projects", 110L));
    standing(out, "one-over-the-allowance", TEN_PERCENT, Map.of("projects", 111L));
    standing(
        out,
        "over-allowance-and-over-limit-of-another",
        TEN_PERCENT,
        Map.of("projects", 105L, "storage_gb", 501L));
    standing(out, "no-allowance-one-over", NO_ALLOWANCE, Map.of("projects", 101L));
    standing(out, "unset-limits-are-ignored", NO_ALLOWANCE, Map.of("users", 1_000_000L));
    standing(out, "seats-from-the-license", SEATS, Map.of("seats", 30L, "projects", 1100L));
    standing(out, "seats-over-allowance", SEATS, Map.of("seats", 31L));
    standing(out, "unlimited-seats", ODD, Map.of("seats", 10_000L));
    standing(out, "allowance-rounds-down", ODD, Map.of("devices", 20L));
    standing(out, "allowance-rounds-down-over", ODD, Map.of("devices", 21L));
    standing(out, "zero-limit", ODD, Map.of("cpus", 1L));
    standing(out, "zero-usage-of-zero-limit", ODD, Map.of("cpus", 0L));
    return out;
  }

  private static void standing(ArrayNode out, String name, Grant grant, Map<String, Long> usage) {
    UsageStanding s = Usage.evaluate(grant.license(), usage);
    ObjectNode c = out.addObject();
    c.put("name", name);
    c.set("license", grant.json());
    c.set("usage", JsonOut.tree(new TreeMap<>(usage)));
    ObjectNode e = c.putObject("expected");
    e.put("level", s.level().name());
    ArrayNode limits = e.putArray("limits");
    for (LimitUsage l : s.limits()) {
      ObjectNode o = limits.addObject();
      o.put("limit", l.limit());
      o.put("usage", l.usage());
      o.put("licensed", l.licensed());
      o.put("overage_percent", l.overagePercent());
      o.put("ceiling", l.ceiling());
      o.put("level", l.level().name());
      o.put("text", l.text());
    }
    Banner b = s.banner();
    ObjectNode banner = e.putObject("banner");
    banner.put("level", b.level().name());
    banner.put("dismissal", b.dismissal().name());
    banner.put("text", b.text());
  }

  private static ArrayNode increase() {
    ArrayNode out = JsonOut.array();
    increase(out, "within-stays-within", TEN_PERCENT, "projects", 50, 10);
    increase(out, "up-to-the-ceiling", TEN_PERCENT, "projects", 100, 10);
    increase(out, "one-past-the-ceiling", TEN_PERCENT, "projects", 100, 11);
    increase(out, "already-over-adds-nothing", TEN_PERCENT, "projects", 150, 0);
    increase(out, "already-over-adds-one", TEN_PERCENT, "projects", 150, 1);
    increase(out, "no-allowance-at-the-limit", NO_ALLOWANCE, "projects", 100, 1);
    increase(out, "no-allowance-below", NO_ALLOWANCE, "projects", 99, 1);
    increase(out, "unset-limit", NO_ALLOWANCE, "users", 5_000_000, 1);
    increase(out, "seats", SEATS, "seats", 29, 2);
    increase(out, "zero-limit", ODD, "cpus", 0, 1);
    return out;
  }

  private static void increase(
      ArrayNode out, String name, Grant grant, String limit, long usage, long by) {
    UsageDecision d = Usage.increase(grant.license(), limit, usage, by);
    ObjectNode c = out.addObject();
    c.put("name", name);
    c.set("license", grant.json());
    c.put("limit", limit);
    c.put("usage", usage);
    c.put("by", by);
    ObjectNode e = c.putObject("expected");
    e.put("allowed", d.allowed());
    e.put("after", d.after());
    if (d.ceiling() == Long.MAX_VALUE) {
      e.putNull("ceiling");
    } else {
      e.put("ceiling", d.ceiling());
    }
    e.put("message", d.message());
  }

  private static ArrayNode errors() {
    ArrayNode out = JsonOut.array();
    ObjectNode negative = out.addObject();
    negative.put("name", "negative-usage");
    negative.put("call", "evaluate");
    negative.set("license", TEN_PERCENT.json());
    negative.set("usage", JsonOut.tree(Map.of("projects", -1)));
    negative.put("limit", "projects");
    negative.put("by", 0);
    negative.put(
        "error", message(() -> Usage.evaluate(TEN_PERCENT.license(), Map.of("projects", -1L))));
    ObjectNode by = out.addObject();
    by.put("name", "negative-increase");
    by.put("call", "increase");
    by.set("license", TEN_PERCENT.json());
    by.set("usage", JsonOut.tree(Map.of("projects", 5)));
    by.put("limit", "projects");
    by.put("by", -1);
    by.put("error", message(() -> Usage.increase(TEN_PERCENT.license(), "projects", 5, -1)));
    return out;
  }

  private static String message(Runnable call) {
    try {
      call.run();
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new IllegalStateException("the call was expected to be refused");
  }

  // ---- the usage record ----

  /** The record of the cli.json usage scenario and of the records below. */
  static UsageRecord sampleRecord() {
    return UsageRecord.empty()
        .withReport(Map.of("projects", 96L, "seats", 20L), Instant.parse("2027-05-31T23:00:00Z"))
        .withReport(Map.of("projects", 105L, "seats", 24L), Instant.parse("2027-06-01T11:00:00Z"))
        .withLastReportSequence(3);
  }

  /**
   * {@code usage.json} as the Java client writes it for {@code record}, signed with {@code key}.
   */
  static byte[] usageFile(UsageRecord record, byte[] key) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("keyturn-usage-vectors");
      Files.write(dir.resolve(StateStore.KEY_FILE), key);
      new UsageStore(new StateStore(dir)).write(record);
      return Files.readAllBytes(dir.resolve(UsageStore.FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      CliVectors.delete(dir);
    }
  }

  private static ArrayNode records() {
    ArrayNode out = JsonOut.array();
    UsageRecord sample = sampleRecord();
    byte[] good = usageFile(sample, STATE_KEY);
    String text = new String(good, StandardCharsets.UTF_8);
    record(out, "valid", good, STATE_KEY, sample, "OK");
    record(out, "another-secret", good, sha256("another"), null, "FORGED");
    record(
        out,
        "usage-lowered-by-hand",
        text.replace("\"projects\":105", "\"projects\":15").getBytes(StandardCharsets.UTF_8),
        STATE_KEY,
        null,
        "FORGED");
    record(
        out,
        "recorded-at-moved-by-hand",
        text.replace("2027-06-01T11:00:00Z", "2027-06-09T11:00:00Z")
            .getBytes(StandardCharsets.UTF_8),
        STATE_KEY,
        null,
        "FORGED");
    record(
        out,
        "truncated",
        text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8),
        STATE_KEY,
        null,
        "UNREADABLE");
    record(
        out,
        "unknown-field",
        text.replace("{\"mac\"", "{\"extra\":1,\"mac\"").getBytes(StandardCharsets.UTF_8),
        STATE_KEY,
        null,
        "UNREADABLE");
    return out;
  }

  private static void record(
      ArrayNode out, String name, byte[] file, byte[] key, UsageRecord expected, String status) {
    ObjectNode c = out.addObject();
    c.put("name", name);
    c.put("state_key_hex", HexFormat.of().formatHex(key));
    c.put("file_base64", Base64.getEncoder().encodeToString(file));
    c.put("file_text", new String(file, StandardCharsets.UTF_8));
    ObjectNode e = c.putObject("expected");
    e.put("status", status);
    if (expected == null) {
      e.putNull("record");
    } else {
      ObjectNode r = e.putObject("record");
      r.put("version", expected.version());
      r.put("recorded_at", expected.recordedAt());
      r.set("current", JsonOut.tree(expected.current()));
      r.set("months", JsonOut.tree(expected.months()));
      r.put("last_report_sequence", expected.lastReportSequence());
    }
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A product's state directory after it installed the base license and recorded {@code projects =
   * 105} (above its 100) at 2027-06-01T11:00:00Z, made by the Java client on a settable clock and
   * then re-signed with {@link #STATE_KEY} and a fixed installation key so the bytes never change.
   */
  static Map<String, byte[]> productState(String prefix) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("keyturn-usage-state");
      try (LicenseManager product =
          LicenseManager.builder()
              .stateDir(dir)
              .trustedKeys(Fixtures.ring("default"))
              .instanceDomain(Fixtures.INSTANCE_DOMAIN)
              .clock(new SettableClock(Instant.parse("2027-06-01T11:00:00Z")))
              .zone(ZoneOffset.UTC)
              .background(false)
              .build()) {
        product.install(Fixtures.base().toToml());
        product.reportUsage(Map.of("projects", 105L, "seats", 24L));
      }
      StateStore.Loaded state = new StateStore(dir).load();
      UsageStore.Loaded usage = new UsageStore(new StateStore(dir)).load();
      Files.write(dir.resolve(StateStore.KEY_FILE), STATE_KEY);
      StateStore rekeyed = new StateStore(dir);
      rekeyed.locked(() -> rekeyed.write(state.state().orElseThrow()));
      new UsageStore(rekeyed).write(usage.record().orElseThrow());
      KeyPair installation = Fixtures.pairFromSeed(Fixtures.seed("installation"));
      Files.writeString(
          dir.resolve(InstallationKeys.PRIVATE_FILE), Pem.privateKey(installation.getPrivate()));
      Files.writeString(
          dir.resolve(InstallationKeys.PUBLIC_FILE), Pem.publicKey(installation.getPublic()));
      Map<String, byte[]> files = new TreeMap<>();
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
          String name = dir.relativize(p).toString().replace('\\', '/');
          if (!name.equals(StateStore.LOCK_FILE)) {
            files.put(prefix + name, Files.readAllBytes(p));
          }
        }
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      CliVectors.delete(dir);
    }
  }
}
