/** Spellings and rules of a whole custom policy as a format-2 license carries it (docs/license-format.md). */

/** Banner levels of a reminder, from the least insistent. */
export const POLICY_BANNERS = ["info", "warning", "danger"] as const;
/** Dismissal rules of a reminder, from the least insistent. */
export const POLICY_DISMISSALS = ["until-next-stage", "for-24h", "to-pill", "not-dismissible"] as const;
/** Who may be told, in the order a file lists them. */
export const POLICY_RECIPIENTS = ["customer", "account-team", "support", "renewal-request", "webhook"] as const;
export const POLICY_LOCK_ACTIONS = ["lock", "suspend"] as const;
export const MAX_REMINDERS = 12;
export const MAX_DAYS_BEFORE = 365;

/** A reminder of a format-2 policy, spelled as the file spells it. */
export interface PolicyReminder {
  readonly daysBefore: number;
  readonly banner: string;
  readonly dismissal: string;
  readonly notify: readonly string[];
}

/** A whole custom policy: one spelling per policy (reminders from the earliest, recipients in order, each once). */
export interface PolicyRules {
  readonly name: string;
  readonly lockAction: string;
  readonly reminders: readonly PolicyReminder[];
  readonly expiryNotify: readonly string[];
  readonly lockNotify: readonly string[];
}

/** The policy builder's rules on the file's spelling; throws a TypeError with the Java reference's message. */
export function validatePolicyRules(r: PolicyRules): void {
  if (!r.name || !r.name.trim()) throw new TypeError("policy.name must not be empty");
  if (!(POLICY_LOCK_ACTIONS as readonly string[]).includes(r.lockAction)) {
    throw new TypeError(`policy.lock_action must be "lock" or "suspend", found "${r.lockAction}"`);
  }
  if (r.reminders.length > MAX_REMINDERS) {
    throw new TypeError(`policy.reminders has ${r.reminders.length} reminders, at most ${MAX_REMINDERS}`);
  }
  let previous: PolicyReminder | undefined;
  r.reminders.forEach((rm, i) => {
    const at = `policy.reminders[${i}]`;
    if (rm.daysBefore < 1 || rm.daysBefore > MAX_DAYS_BEFORE) {
      throw new TypeError(`${at}.days_before must be 1 to ${MAX_DAYS_BEFORE}, found ${rm.daysBefore}`);
    }
    oneOf(`${at}.banner`, rm.banner, POLICY_BANNERS);
    oneOf(`${at}.dismissal`, rm.dismissal, POLICY_DISMISSALS);
    recipients(`${at}.notify`, rm.notify);
    if (previous) {
      if (rm.daysBefore === previous.daysBefore) {
        throw new TypeError(`policy.reminders: two reminders at D-${rm.daysBefore}`);
      }
      if (rm.daysBefore > previous.daysBefore) {
        throw new TypeError(
          `policy.reminders must run from the earliest to the last: D-${rm.daysBefore} is listed after D-${previous.daysBefore}`,
        );
      }
      const banners = POLICY_BANNERS as readonly string[];
      const dismissals = POLICY_DISMISSALS as readonly string[];
      if (
        banners.indexOf(rm.banner) < banners.indexOf(previous.banner) ||
        dismissals.indexOf(rm.dismissal) < dismissals.indexOf(previous.dismissal)
      ) {
        throw new TypeError(
          `policy.reminders: reminder D-${rm.daysBefore} is less insistent than D-${previous.daysBefore}; banners may only grow more insistent`,
        );
      }
    }
    previous = rm;
  });
  recipients("policy.expiry_notify", r.expiryNotify);
  recipients("policy.lock_notify", r.lockNotify);
}

function oneOf(key: string, value: string, allowed: readonly string[]): void {
  if (!allowed.includes(value)) throw new TypeError(`${key} must be one of ${allowed.join(", ")}; found "${value}"`);
}

function recipients(key: string, names: readonly string[]): void {
  for (const n of names) oneOf(key, n, POLICY_RECIPIENTS);
  const canonical = POLICY_RECIPIENTS.filter((r) => names.includes(r));
  if (canonical.join(",") !== names.join(",")) {
    throw new TypeError(
      `${key} must name each recipient once, in the order ${POLICY_RECIPIENTS.join(", ")}; found ${names.join(", ")}`,
    );
  }
}
