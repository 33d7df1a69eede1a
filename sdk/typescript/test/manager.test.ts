import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { AuditLog, DAY, HOUR, LicenseManager, SettableClock, UNLIMITED, type LicenseManagerOptions } from "../src/index.js";
import { issue, tempDir, trustedKeys } from "./support.js";

const START = Date.parse("2027-03-01T09:00:00Z");
const YEAR_LICENSE = { notBefore: "2027-02-01T00:00:00Z", expiresAt: "2027-04-01T00:00:00Z" };

function manager(stateDir: string, clock: SettableClock, extra: Partial<LicenseManagerOptions> = {}): LicenseManager {
  return new LicenseManager({ stateDir, trustedKeys: trustedKeys(), clock, zone: "UTC", background: false, ...extra });
}

function events(stateDir: string): string[] {
  return new AuditLog(stateDir).entries().map((e) => e.event);
}

describe("LicenseManager", () => {
  it("is locked with no license, and a valid install unlocks at once and is audited", (t) => {
    const dir = tempDir(t);
    const m = manager(dir, new SettableClock(START));
    assert.equal(m.mode(), "LOCKED");
    assert.equal(m.allows("notes"), false);
    assert.equal(m.limit("users"), 0);
    assert.deepEqual(m.standing().flags, ["NO_LICENSE"]);

    const r = m.install(issue({ ...YEAR_LICENSE, features: ["notes", "sso"], limits: { users: 25 } }));
    assert.equal(r.code, "VALID", r.message);
    assert.equal(r.inForce, true);
    assert.equal(m.mode(), "FULL");
    assert.equal(m.allows("sso"), true);
    assert.equal(m.allows("export"), false);
    assert.equal(m.limit("users"), 25);
    assert.equal(m.limit("seats"), 25);
    assert.equal(m.limit("projects"), UNLIMITED);
    assert.equal(readdirSync(join(dir, "licenses")).filter((f) => f.endsWith(".license.toml")).length, 1);
    assert.ok(events(dir).includes("installed"));
    assert.equal(AuditLog.verifyDirectory(dir).intact, true);
  });

  it("refuses a tampered license with SIGNATURE_MISMATCH and changes nothing but the audit log", (t) => {
    const dir = tempDir(t);
    const m = manager(dir, new SettableClock(START));
    m.install(issue(YEAR_LICENSE));
    const tampered = issue({ ...YEAR_LICENSE, id: "lic_test_0002", expiresAt: "2028-04-01T00:00:00Z" }).replace("Acme Corp", "Someone Else");
    const r = m.install(tampered);
    assert.equal(r.code, "SIGNATURE_MISMATCH");
    assert.equal(r.installed, false);
    assert.equal(m.standing().license?.id, "lic_test_0001");
    assert.equal(readdirSync(join(dir, "licenses")).length, 1);
    assert.equal(events(dir).at(-1), "install_rejected");
  });

  it("refuses a downgrade below current usage with USAGE_EXCEEDS_LIMITS, and lets an upgrade in", (t) => {
    const dir = tempDir(t);
    const m = manager(dir, new SettableClock(START), { usage: () => ({ users: 40 }) });
    assert.equal(m.install(issue({ ...YEAR_LICENSE, limits: { users: 50 } })).code, "VALID");
    const down = m.install(issue({ id: "lic_small", notBefore: YEAR_LICENSE.notBefore, expiresAt: "2028-04-01T00:00:00Z", limits: { users: 30 } }));
    assert.equal(down.code, "USAGE_EXCEEDS_LIMITS");
    assert.deepEqual(down.excesses, [{ limit: "users", usage: 40, newValue: 30 }]);
    assert.match(down.message, /users: 40 in use, the new license allows 30/);
    assert.equal(m.limit("users"), 50);
    const up = m.install(issue({ id: "lic_big", notBefore: YEAR_LICENSE.notBefore, expiresAt: "2028-04-01T00:00:00Z", limits: { users: 100 } }));
    assert.equal(up.code, "VALID");
    assert.equal(m.limit("users"), 100);
  });

  it("keeps the newest license in force when an older one is installed after it", (t) => {
    const dir = tempDir(t);
    const m = manager(dir, new SettableClock(START));
    m.install(issue({ id: "lic_new", notBefore: YEAR_LICENSE.notBefore, expiresAt: "2028-04-01T00:00:00Z" }));
    const older = m.install(issue({ id: "lic_old", ...YEAR_LICENSE }));
    assert.equal(older.code, "VALID");
    assert.equal(older.inForce, false);
    assert.match(older.message, /license lic_new expires later and stays in force/);
    assert.equal(m.standing().license?.id, "lic_new");
  });

  it("walks D-30, grace and lock on the clock, and keeps a D-30 dismissal across restarts", (t) => {
    const dir = tempDir(t);
    const clock = new SettableClock(START);
    let m = manager(dir, clock);
    m.install(issue(YEAR_LICENSE));
    assert.equal(m.standing().summary, "active");
    clock.advance(DAY);
    let s = m.standing();
    assert.equal(s.stageId, "D-30");
    assert.equal(s.banner.level, "INFO");
    assert.equal(m.dismiss().outcome, "HIDDEN");
    m.close();
    m = manager(dir, clock);
    assert.equal(m.standing().banner.display, "HIDDEN");
    clock.advance(31 * DAY);
    s = m.standing();
    assert.equal(s.phase, "GRACE");
    assert.equal(s.mode, "FULL");
    assert.match(s.banner.text, /remaining before lock/);
    clock.advance(60 * DAY);
    assert.equal(m.mode(), "FULL", "the hot path reads the snapshot until the next refresh");
    m.refresh();
    assert.equal(m.mode(), "LOCKED");
    assert.equal(m.allows("notes"), false);
    assert.deepEqual(events(dir).filter((e) => e === "stage_entered").length >= 3, true);
  });

  it("is read-only in the grace of a subscription license", (t) => {
    const dir = tempDir(t);
    const clock = new SettableClock(START);
    const m = manager(dir, clock);
    m.install(issue({ ...YEAR_LICENSE, preset: "subscription" }));
    clock.advance(32 * DAY);
    assert.equal(m.standing().mode, "READ_ONLY");
    assert.equal(m.mode(), "READ_ONLY");
  });

  it("never lets a clock turned back extend a license: licensing stays at the high-water mark", (t) => {
    const dir = tempDir(t);
    const clock = new SettableClock(START);
    const m = manager(dir, clock);
    m.install(issue(YEAR_LICENSE));
    clock.advance(40 * DAY); // in grace
    const before = m.standing();
    clock.set(clock.now() - 30 * DAY);
    const s = m.standing();
    assert.ok(s.flags.includes("CLOCK_ROLLBACK"));
    assert.ok(s.evaluatedAt >= before.evaluatedAt);
    assert.equal(s.phase, "GRACE");
    assert.match(s.notices[0] ?? "", /30 days behind the latest time this product has seen/);
    assert.ok(events(dir).includes("clock_rollback"));
    m.close();
    // After a restart the mark comes back from the signed state file.
    const again = manager(dir, clock);
    assert.ok(again.standing().flags.includes("CLOCK_ROLLBACK"));
  });

  it("notices a hand-edited state file, rebuilds from evidence and never grants time", (t) => {
    const dir = tempDir(t);
    const clock = new SettableClock(START);
    const first = manager(dir, clock);
    first.install(issue(YEAR_LICENSE));
    clock.advance(40 * DAY);
    assert.equal(first.standing().phase, "GRACE");
    first.close();
    const stateFile = join(dir, "state.json");
    const state = JSON.parse(readFileSync(stateFile, "utf8"));
    state.state.high_water = "2027-01-01T00:00:00Z";
    writeFileSync(stateFile, JSON.stringify(state));
    clock.set(START); // and the clock back, hoping for the license to be fresh again
    const m = manager(dir, clock);
    const s = m.standing();
    assert.ok(s.flags.includes("STATE_RESET"));
    assert.ok(s.flags.includes("CLOCK_ROLLBACK"), "the audit log proves later time");
    assert.equal(s.phase, "GRACE");
    assert.ok(events(dir).includes("state_reset"));
  });

  it("chains the audit log so that an edited line is found", (t) => {
    const dir = tempDir(t);
    const m = manager(dir, new SettableClock(START));
    m.install(issue(YEAR_LICENSE));
    m.install("not a license");
    const log = join(dir, "audit.log");
    const lines = readFileSync(log, "utf8").split("\n");
    lines[0] = (lines[0] as string).replace("lic_test_0001", "lic_test_9999");
    writeFileSync(log, lines.join("\n"));
    const v = AuditLog.verifyDirectory(dir);
    assert.equal(v.intact, false);
    assert.equal(v.brokenLine, 1);
  });

  it("refuses a license for another instance with INSTANCE_MISMATCH", (t) => {
    const dir = tempDir(t);
    const m = manager(dir, new SettableClock(START), { instanceDomain: "https://Tools.Acme.example/" });
    const r = m.install(issue({ ...YEAR_LICENSE, instanceDomain: "other.example" }));
    assert.equal(r.code, "INSTANCE_MISMATCH");
    assert.equal(m.install(issue({ ...YEAR_LICENSE, instanceDomain: "tools.acme.example" })).code, "VALID");
  });

  it("reads without writing a byte in read-only mode", (t) => {
    const dir = tempDir(t);
    const clock = new SettableClock(START);
    manager(dir, clock).install(issue(YEAR_LICENSE));
    const before = readFileSync(join(dir, "state.json"), "utf8");
    clock.advance(HOUR);
    const ro = manager(dir, clock, { readOnly: true });
    assert.equal(ro.standing().mode, "FULL");
    assert.throws(() => ro.install(issue(YEAR_LICENSE)), /read-only/);
    assert.equal(readFileSync(join(dir, "state.json"), "utf8"), before);
  });
});
