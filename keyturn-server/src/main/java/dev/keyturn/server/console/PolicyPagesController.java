package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.policy.Policies;
import dev.keyturn.server.policy.PolicyDefinition;
import dev.keyturn.server.policy.StoredPolicy;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's Policies page (issue 21): every policy with the stages it gives and who is told, a
 * lifecycle preview from core's engine (the one the issue form and {@code keyturn simulate} use),
 * and for ADMIN the form to add or edit one; editing says that licenses issued before keep their
 * policy, and offers re-issuing them. Everything goes through {@link Policies} and {@link
 * LicenseIssuer}, so it is validated and audited as through the API.
 */
@Controller
class PolicyPagesController {
  /** Reminder rows the form offers; a policy may have at most 12 reminders. */
  static final int FORM_ROWS = 8;

  static final List<String> RECIPIENTS =
      Arrays.stream(Recipient.values()).map(Recipient::tomlName).toList();

  private final Policies policies;
  private final LicenseIssuer issuer;
  private final Clock clock;

  PolicyPagesController(Policies policies, LicenseIssuer issuer, Clock clock) {
    this.policies = policies;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** A policy's row on the list. */
  record Row(StoredPolicy policy, PolicyDefinition definition, int subscriptions) {}

  /** One reminder row of the form, as typed. */
  record ReminderRow(
      int index, String days, String banner, String dismissal, List<String> recipients) {}

  /** The form's values: a policy's, or what was typed when it was refused. */
  record Form(
      String name,
      List<ReminderRow> reminders,
      String graceDays,
      String graceMode,
      String lockAction,
      List<String> expiryNotify,
      List<String> lockNotify,
      String tiers) {}

  @GetMapping("/console/policies")
  String list(Model model) {
    List<Row> rows = new ArrayList<>();
    for (StoredPolicy p : policies.all()) {
      rows.add(
          new Row(
              p, PolicyDefinition.of(p.policy()), policies.subscriptionsUsing(p.name()).size()));
    }
    model.addAttribute("rows", rows);
    return "console/policies/list";
  }

  @GetMapping("/console/policies/new")
  String create(Model model) {
    Policy start = Policy.APPLIANCE.toBuilder("new-policy").build();
    model.addAttribute("form", form(start, List.of()));
    model.addAttribute("creating", true);
    return page(model);
  }

  @GetMapping("/console/policies/{name}")
  String show(@PathVariable String name, Model model) {
    StoredPolicy p =
        policies.find(name).orElseThrow(() -> KeyturnServerException.notFound("policy", name));
    model.addAttribute("policy", p);
    model.addAttribute("definition", PolicyDefinition.of(p.policy()));
    model.addAttribute("subscriptions", policies.subscriptionsUsing(name));
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    model.addAttribute(
        "preview", LifecyclePreview.of(now, now.plus(Duration.ofDays(365)), p.policy()));
    if (!model.containsAttribute("form")) {
      model.addAttribute("form", form(p.policy(), p.tiers()));
    }
    model.addAttribute("creating", false);
    return page(model);
  }

  @PostMapping("/console/policies")
  String save(@RequestParam Map<String, String> params, Model model, RedirectAttributes redirect) {
    String name = params.getOrDefault("name", "").strip();
    try {
      StoredPolicy saved =
          policies.save(name, definition(name, params), tiers(params), Actor.current());
      int using = policies.subscriptionsUsing(name).size();
      redirect.addFlashAttribute(
          "flash",
          "Policy "
              + name
              + " saved (revision "
              + saved.revision()
              + "). Licenses issued before keep the policy they carry"
              + (using > 0
                  ? "; re-issue the current licenses of its " + using + " subscription(s) below."
                  : "."));
      return "redirect:/console/policies/" + name;
    } catch (KeyturnServerException e) {
      model.addAttribute("flashError", "Nothing was saved: " + e.getMessage());
      model.addAttribute("form", typed(name, params));
      boolean exists = policies.exists(name);
      if (exists) {
        return show(name, model);
      }
      model.addAttribute("creating", true);
      return page(model);
    }
  }

  @PostMapping("/console/policies/{name}/reissue")
  String reissue(@PathVariable String name, RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/policies/" + name,
        redirect,
        () -> {
          LicenseIssuer.Reissue r = issuer.reissue(name, Actor.current());
          return r.licenses().size()
              + " license(s) re-issued under revision "
              + r.revision()
              + " and mailed"
              + (r.skippedSubscriptions().isEmpty()
                  ? "."
                  : "; "
                      + r.skippedSubscriptions().size()
                      + " subscription(s) skipped (archived,"
                      + " no current license, or expired).");
        });
  }

  private String page(Model model) {
    model.addAttribute("rows", FORM_ROWS);
    model.addAttribute("recipients", RECIPIENTS);
    return "console/policies/show";
  }

  private static Form form(Policy p, List<String> tiers) {
    PolicyDefinition d = PolicyDefinition.of(p);
    List<ReminderRow> rows = new ArrayList<>();
    for (int i = 0; i < FORM_ROWS; i++) {
      if (i < d.reminders().size()) {
        PolicyDefinition.ReminderDefinition r = d.reminders().get(i);
        rows.add(
            new ReminderRow(
                i, String.valueOf(r.daysBefore()), r.banner(), r.dismissal(), r.recipients()));
      } else {
        rows.add(new ReminderRow(i, "", "", "", List.of()));
      }
    }
    return new Form(
        d.name(),
        rows,
        String.valueOf(d.graceDays()),
        d.graceMode(),
        d.lockAction(),
        d.expiryNotify(),
        d.lockNotify(),
        String.join(", ", tiers));
  }

  /** The form as typed, to show again with the reason it was refused. */
  private static Form typed(String name, Map<String, String> params) {
    List<ReminderRow> rows = new ArrayList<>();
    for (int i = 0; i < FORM_ROWS; i++) {
      rows.add(
          new ReminderRow(
              i,
              params.getOrDefault("r" + i + "_days", ""),
              params.getOrDefault("r" + i + "_banner", ""),
              params.getOrDefault("r" + i + "_dismissal", ""),
              ticked(params, "r" + i + "_notify_")));
    }
    return new Form(
        name,
        rows,
        params.getOrDefault("grace_days", ""),
        params.getOrDefault("grace_mode", ""),
        params.getOrDefault("lock_action", ""),
        ticked(params, "expiry_notify_"),
        ticked(params, "lock_notify_"),
        params.getOrDefault("tiers", ""));
  }

  /**
   * The policy the form describes; a reminder row without days is an empty row. Numbers that are
   * not numbers are left null, so the definition refuses them as missing, with the field named.
   */
  static PolicyDefinition definition(String name, Map<String, String> params) {
    List<PolicyDefinition.ReminderDefinition> reminders = new ArrayList<>();
    for (int i = 0; i < FORM_ROWS; i++) {
      String days = params.getOrDefault("r" + i + "_days", "").strip();
      if (days.isEmpty()) {
        continue;
      }
      reminders.add(
          new PolicyDefinition.ReminderDefinition(
              number(days),
              params.get("r" + i + "_banner"),
              params.get("r" + i + "_dismissal"),
              ticked(params, "r" + i + "_notify_")));
    }
    return new PolicyDefinition(
        name,
        reminders,
        number(params.getOrDefault("grace_days", "").strip()),
        params.get("grace_mode"),
        params.get("lock_action"),
        ticked(params, "expiry_notify_"),
        ticked(params, "lock_notify_"));
  }

  private static List<String> tiers(Map<String, String> params) {
    return Arrays.stream(params.getOrDefault("tiers", "").split(","))
        .map(String::strip)
        .filter(t -> !t.isEmpty())
        .toList();
  }

  private static List<String> ticked(Map<String, String> params, String prefix) {
    return RECIPIENTS.stream().filter(r -> params.containsKey(prefix + r)).toList();
  }

  private static Integer number(String s) {
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
