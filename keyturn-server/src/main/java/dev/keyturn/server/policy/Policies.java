package dev.keyturn.server.policy;

import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The named lifecycle policies (issue 21): the two built-in presets and the vendor's own, in {@code
 * policies}. Subscriptions name one; a license carries the whole of it, so editing a policy changes
 * only licenses issued afterwards. Every change is an audited event.
 */
@Service
public class Policies {
  /** Policy names: safe in URLs, license files and the console; 1 to 40 characters. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

  private static final List<Policy> BUILT_IN = List.of(Policy.APPLIANCE, Policy.SUBSCRIPTION);

  private final JdbcClient jdbc;
  private final EventLog events;
  private final Clock clock;
  private final JsonMapper json;
  private final PolicyUsage usage;

  Policies(JdbcClient jdbc, EventLog events, Clock clock, JsonMapper json, PolicyUsage usage) {
    this.jdbc = jdbc;
    this.events = events;
    this.clock = clock;
    this.json = json;
    this.usage = usage;
  }

  /** Every policy: the presets first, then the vendor's by name. */
  public List<StoredPolicy> all() {
    List<StoredPolicy> out = new ArrayList<>();
    BUILT_IN.forEach(p -> out.add(StoredPolicy.builtIn(p)));
    out.addAll(jdbc.sql("select * from policies order by name").query(this::map).list());
    return out;
  }

  public Optional<StoredPolicy> find(String name) {
    Optional<Policy> preset = Policy.preset(name);
    if (preset.isPresent()) {
      return Optional.of(StoredPolicy.builtIn(preset.get()));
    }
    return jdbc.sql("select * from policies where name = ?")
        .param(name)
        .query(this::map)
        .optional();
  }

  public boolean exists(String name) {
    return name != null && find(name).isPresent();
  }

  /** The policy a license issued now under {@code name} carries. */
  public StoredPolicy require(String name) {
    return find(name).orElseThrow(() -> KeyturnServerException.notFound("policy", name));
  }

  /** The policy a new subscription of {@code tier} gets when it names none, if any claims it. */
  public Optional<String> forTier(String tier) {
    if (tier == null) {
      return Optional.empty();
    }
    return all().stream().filter(p -> p.tiers().contains(tier)).map(StoredPolicy::name).findFirst();
  }

  /**
   * Creates or replaces the vendor's policy {@code name}. Licenses already issued keep the policy
   * they carry; the revision goes up by one.
   */
  @Transactional
  public StoredPolicy save(
      String name, PolicyDefinition definition, List<String> tiers, Actor actor) {
    Validator v = new Validator();
    v.check(
        name != null && NAME.matcher(name).matches(),
        "name",
        "'" + name + "' must be 1 to 40 of a-z, 0-9 or '-', starting with a letter or digit");
    v.check(
        definition.name() == null || definition.name().equals(name),
        "name",
        "the body names '" + definition.name() + "', the address '" + name + "'");
    List<String> tierList = tiers == null ? List.of() : tiers;
    for (int i = 0; i < tierList.size(); i++) {
      v.name(tierList.get(i), "tiers[" + i + "]");
    }
    v.throwIfAny();
    if (Policy.preset(name).isPresent()) {
      throw new KeyturnServerException(
          ErrorCode.POLICY_BUILT_IN,
          "'" + name + "' is a built-in preset; save your own under another name");
    }
    Policy policy = definition.toPolicy(name);
    for (String tier : tierList) {
      Optional<StoredPolicy> other =
          all().stream()
              .filter(p -> !p.name().equals(name) && p.tiers().contains(tier))
              .findFirst();
      v.check(
          other.isEmpty(),
          "tiers",
          "tier '"
              + tier
              + "' already gets policy '"
              + other.map(StoredPolicy::name).orElse("")
              + "'");
    }
    v.throwIfAny();
    Instant now = clock.instant();
    String tiersJson = json.writeValueAsString(tierList);
    String encoded = PolicyCodec.encode(policy);
    Optional<StoredPolicy> before =
        jdbc.sql("select * from policies where name = ? for update")
            .param(name)
            .query(this::map)
            .optional();
    int revision;
    if (before.isPresent()) {
      revision = before.get().revision() + 1;
      jdbc.sql(
              "update policies set definition = ?, revision = ?, tiers = ?, updated_at = ?,"
                  + " updated_by = ? where name = ?")
          .params(encoded, revision, tiersJson, Db.ts(now), actor.name(), name)
          .update();
    } else {
      revision = 1;
      jdbc.sql(
              "insert into policies (name, definition, revision, tiers, created_at, created_by,"
                  + " updated_at, updated_by) values (?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              name,
              encoded,
              revision,
              tiersJson,
              Db.ts(now),
              actor.name(),
              Db.ts(now),
              actor.name())
          .update();
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("policy", name);
    metadata.put("revision", revision);
    metadata.put("definition", PolicyDefinition.of(policy));
    metadata.put("tiers", tierList);
    events.record(
        before.isPresent() ? "policy.updated" : "policy.created",
        actor.name(),
        null,
        null,
        metadata);
    return require(name);
  }

  /** Deletes the vendor's policy {@code name}; refused while any subscription names it. */
  @Transactional
  public void delete(String name, Actor actor) {
    if (Policy.preset(name).isPresent()) {
      throw new KeyturnServerException(
          ErrorCode.POLICY_BUILT_IN, "'" + name + "' is a built-in preset and cannot be deleted");
    }
    require(name);
    List<String> using = usage.subscriptionsUsing(name);
    if (!using.isEmpty()) {
      throw new KeyturnServerException(
          ErrorCode.POLICY_IN_USE,
          using.size()
              + " subscription(s) use policy '"
              + name
              + "'; move them to another policy first",
          Map.of("subscriptions", using.stream().limit(20).toList()));
    }
    jdbc.sql("delete from policies where name = ?").param(name).update();
    events.record("policy.deleted", actor.name(), null, null, Map.of("policy", name));
  }

  /** The subscriptions naming a policy (for the console and re-issuing). */
  public List<String> subscriptionsUsing(String name) {
    return usage.subscriptionsUsing(name);
  }

  private StoredPolicy map(ResultSet rs, int row) throws SQLException {
    return new StoredPolicy(
        PolicyCodec.decode(rs.getString("definition")),
        false,
        rs.getInt("revision"),
        json.readValue(rs.getString("tiers"), new TypeReference<List<String>>() {}),
        Db.instant(rs, "created_at"),
        rs.getString("created_by"),
        Db.instant(rs, "updated_at"),
        rs.getString("updated_by"));
  }
}
