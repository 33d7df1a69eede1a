import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DAY, HOUR, LicenseManager, SettableClock, UsageLimitError } from "../src/index.js";
import { issue, tempDir, trustedKeys } from "./support.js";

// Issue 18 in the Node client, as dated scenarios on a settable clock in São Paulo.
const START = Date.parse("2027-03-01T09:00:00Z");
const LICENSE = { notBefore: "2027-02-01T00:00:00Z", expiresAt: "2028-02-01T00:00:00Z", limits: { users: 50 } };

function manager(stateDir: string, clock: SettableClock): LicenseManager {
  return new LicenseManager({ stateDir, trustedKeys: trustedKeys(), clock, zone: "America/Sao_Paulo", background: false });
}

describe("usage", () => {
  it("warns within the overage allowance, refuses growth above it, and never locks", (t) => {
    const clock = new SettableClock(START);
    const m = manager(tempDir(t), clock);
    assert.equal(m.install(issue({ ...LICENSE, overage: { users: 10 } })).code, "VALID");

    assert.equal(m.reportUsage({ users: 50 }).level, "WITHIN");
    clock.advance(10 * DAY);
    m.reportUsage({ users: 53 });
    let s = m.standing();
    assert.deepEqual(s.flags, ["USAGE_OVER_LIMIT"]);
    assert.equal(s.banner.level, "WARNING");
    assert.equal(
      s.banner.text,
      "users: 53 in use, above the licensed 50; the 10% overage allowance permits up to 55. Ask your vendor to raise the limit.",
    );
    assert.equal(m.checkIncrease("users", 2).allowed, true);
    assert.throws(() => m.requireIncrease("users", 3), (e: unknown) => e instanceof UsageLimitError && e.message.startsWith("Adding 3 to users"));

    m.reportUsage({ users: 60 });
    s = m.standing();
    assert.deepEqual(s.flags, ["USAGE_OVER_ALLOWANCE"]);
    assert.equal(s.banner.level, "DANGER");
    assert.equal(m.mode(), "FULL");
    assert.throws(() => m.reportUsage({ users: -1 }), /usage of users must be 0 or more/);
  });

  it("checks a downgrade installed by another process against the recorded usage, and says when it is too old", (t) => {
    const dir = tempDir(t);
    const clock = new SettableClock(START);
    const product = manager(dir, clock);
    product.install(issue(LICENSE));
    product.reportUsage({ users: 40 });
    product.close();
    const smaller = issue({ ...LICENSE, id: "lic_small", expiresAt: "2028-03-01T00:00:00Z", limits: { users: 30 } });

    clock.advance(2 * HOUR);
    let r = manager(dir, clock).install(smaller);
    assert.equal(r.code, "USAGE_EXCEEDS_LIMITS");
    assert.ok(r.message.endsWith("(usage as the product recorded it at 2027-03-01T09:00:00Z)"), r.message);

    clock.advance(23 * HOUR);
    r = manager(dir, clock).install(smaller);
    assert.equal(r.code, "USAGE_EXCEEDS_LIMITS");
    assert.ok(r.message.includes("more than 24 hours ago, too old to trust"), r.message);
  });
});
