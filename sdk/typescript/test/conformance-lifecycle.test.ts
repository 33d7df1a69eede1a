import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  evaluate,
  noticeDue,
  Policy,
  Zone,
  isoInstant,
  validatePolicyRules,
  type BannerLevel,
  type Dismissal,
  type LockAction,
  type PolicyRules,
  type Recipient,
} from "../src/index.js";
import { CONFORMANCE, readJson } from "./support.js";

interface PolicyJson {
  name: string;
  reminders: { days_before: number; level: BannerLevel; dismissal: Dismissal; notify?: Recipient[] }[];
  grace_days: number;
  grace_mode: "full" | "read-only";
  lock_action: LockAction;
  expiry_notify?: Recipient[];
  lock_notify?: Recipient[];
  from_license_policy?: LicensePolicyJson | null;
  stages?: unknown[];
}

/** A signed [license.policy]: a preset with its grace, or a format-2 license's whole policy. */
interface LicensePolicyJson {
  preset?: string;
  name?: string;
  grace_days: number;
  grace_mode: "full" | "read-only";
  lock_action?: string;
  reminders?: { days_before: number; banner: string; dismissal: string; notify: string[] }[];
  expiry_notify?: string[];
  lock_notify?: string[];
}

const file = join(CONFORMANCE, "vectors", "lifecycle.json");
const ms = (iso: string | null) => (iso === null ? undefined : Date.parse(iso));
const iso = (t: number | undefined) => (t === undefined ? null : isoInstant(t));

function build(p: PolicyJson): Policy {
  if (p.from_license_policy) {
    const l = p.from_license_policy;
    if (l.preset) {
      return Policy.forLicense({ preset: l.preset, graceDays: l.grace_days, graceMode: l.grace_mode, extensions: new Map() });
    }
    const rules: PolicyRules = {
      name: l.name as string,
      lockAction: l.lock_action as string,
      reminders: (l.reminders ?? []).map((r) => ({
        daysBefore: r.days_before,
        banner: r.banner,
        dismissal: r.dismissal,
        notify: r.notify,
      })),
      expiryNotify: l.expiry_notify ?? [],
      lockNotify: l.lock_notify ?? [],
    };
    validatePolicyRules(rules);
    return Policy.forLicense({
      preset: rules.name,
      graceDays: l.grace_days,
      graceMode: l.grace_mode,
      extensions: new Map(),
      rules,
    });
  }
  const b = Policy.builder(p.name).grace(p.grace_days, p.grace_mode).lockAction(p.lock_action);
  for (const r of p.reminders) b.reminder(r.days_before, r.level, r.dismissal, r.notify);
  if (p.expiry_notify) b.expiryNotify(p.expiry_notify).lockNotify(p.lock_notify ?? []);
  return b.build();
}

function policyJson(p: Policy) {
  return {
    name: p.name,
    reminders: p.reminders.map((r) => ({
      days_before: r.daysBefore,
      level: r.level,
      dismissal: r.dismissal,
      notify: r.recipients,
    })),
    grace_days: p.graceDays,
    grace_mode: p.graceMode,
    lock_action: p.lockAction,
    expiry_notify: p.expiryNotify,
    lock_notify: p.lockNotify,
    stages: p.stages.map((s) => ({ id: s.id, offset_seconds: s.offsetMs / 1000, phase: s.phase, level: s.level, dismissal: s.dismissal, notice: s.notice, recipients: s.recipients })),
  };
}

describe("conformance: lifecycle.json", { skip: !existsSync(file) && "no lifecycle vectors" }, () => {
  const v = readJson<{
    policies: Record<string, PolicyJson>;
    zone_abbreviations: { zone: string; at: string; abbreviation: string }[];
    standing: { name: string; policy: string; not_before: string; expires_at: string; at: string; zone: string; expected: Record<string, unknown> }[];
    notice_due: { name: string; policy: string; expires_at: string; last_notified: string | null; at: string; expected: { stage: string | null; error: string | null } }[];
    policy_errors: { name: string; policy: PolicyJson; expected: { error: string | null; policy: unknown } }[];
  }>(file);
  const policies = new Map(Object.entries(v.policies).map(([name, p]) => [name, build(p)]));

  it("builds every policy with the stages of the reference", () => {
    for (const [name, p] of Object.entries(v.policies)) {
      const built = policyJson(policies.get(name) as Policy);
      assert.deepEqual(built.stages, p.stages, name);
      assert.equal(built.grace_days, p.grace_days, name);
    }
  });

  it("writes Java's short zone names", () => {
    for (const z of v.zone_abbreviations) {
      assert.equal(Zone.of(z.zone).shortName(Date.parse(z.at)), z.abbreviation, `${z.zone} at ${z.at}`);
    }
  });

  it(`evaluates the standing of all ${v.standing.length} cases as the reference`, () => {
    for (const c of v.standing) {
      const s = evaluate({ notBefore: Date.parse(c.not_before), expiresAt: Date.parse(c.expires_at) }, Date.parse(c.at), policies.get(c.policy) as Policy, c.zone);
      const actual = {
        phase: s.phase,
        stage: s.stage?.id ?? null,
        mode: s.mode,
        days_until_expiry: s.daysUntilExpiry,
        days_until_lock: s.daysUntilLock,
        banner: { level: s.banner.level, dismissal: s.banner.dismissal, text: s.banner.text },
        expires_at: iso(s.expiresAt),
        locks_at: iso(s.locksAt),
        next_change_at: iso(s.nextChangeAt),
        next_transition_at: iso(s.nextTransitionAt),
      };
      assert.deepEqual(actual, c.expected, c.name);
    }
  });

  it(`says which notice is due in all ${v.notice_due.length} cases`, () => {
    for (const c of v.notice_due) {
      const p = policies.get(c.policy) as Policy;
      if (c.expected.error !== null) {
        assert.throws(() => noticeDue(p, Date.parse(c.expires_at), c.last_notified ?? undefined, Date.parse(c.at)), { message: c.expected.error }, c.name);
      } else {
        const due = noticeDue(p, ms(c.expires_at) as number, c.last_notified ?? undefined, Date.parse(c.at));
        assert.equal(due?.id ?? null, c.expected.stage, c.name);
      }
    }
  });

  it("refuses the policies the reference refuses, with its messages", () => {
    for (const c of v.policy_errors) {
      if (c.expected.error !== null) {
        assert.throws(() => build(c.policy), { message: c.expected.error }, c.name);
      } else {
        assert.deepEqual(policyJson(build(c.policy)), c.expected.policy, c.name);
      }
    }
  });
});
