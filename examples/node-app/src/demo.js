import { APPLIANCE, DAY, HOUR, MINUTE, Policy, SettableClock } from "@keyturn/sdk";

export const FIRST_LICENSE_DAYS = 31;

/**
 * Demo mode: a settable clock the person trying the demo (or a test) moves through the stages, and licenses from the
 * demo vendor. The test-control contract of the Java appliance demo: `POST /demo/clock` with `days=N`, `to=STAGE`
 * or `back=N`; `POST /demo/license` with `kind=renewal|tampered`.
 */
export class Demo {
  constructor(vendor, start) {
    this.vendor = vendor;
    this.clock = new SettableClock(start);
    this.licenses = undefined;
  }

  attach(licenses) {
    this.licenses = licenses;
    if (!licenses.standing().license) {
      const now = this.clock.now();
      licenses.install(this.vendor.issue(now - DAY, now + FIRST_LICENSE_DAYS * DAY, now));
    }
  }

  renewal() {
    const now = this.clock.now();
    return this.vendor.issue(now - HOUR, now + 365 * DAY, now);
  }

  tamperedRenewal() {
    return this.renewal().replace(`customer = "Demo Customer Inc."`, `customer = "Someone Else"`);
  }

  advanceDays(days) {
    if (!Number.isInteger(days) || days < 1 || days > 800) throw new RangeError(`move the clock 1 to 800 days at a time, not ${days}`);
    this.clock.advance(days * DAY);
    this.licenses.refresh();
  }

  turnBack(days) {
    if (!Number.isInteger(days) || days < 1 || days > 800) throw new RangeError(`turn the clock back 1 to 800 days, not ${days}`);
    this.clock.set(this.clock.now() - days * DAY);
    this.licenses.refresh();
  }

  /** The stages of the license in force still ahead: each reminder, expiry, lock. */
  milestones() {
    const s = this.licenses.standing();
    if (!s.license) return [];
    const policy = Policy.forLicense(s.license.policy) ?? APPLIANCE;
    return policy.stages
      .map((stage) => ({ id: stage.id, label: stage.id === "EXPIRY" ? "Expiry" : stage.id === "LOCK" ? "Lock" : stage.id, at: s.license.expiresAt + stage.offsetMs }))
      .filter((m) => m.at > s.evaluatedAt);
  }

  /** Jumps a minute past the start of stage `id`. */
  jumpTo(id) {
    const m = this.milestones().find((x) => x.id === id);
    if (!m) throw new RangeError(`stage ${id} is not ahead any more`);
    this.clock.advance(m.at - this.clock.now() + MINUTE);
    this.licenses.refresh();
  }
}
