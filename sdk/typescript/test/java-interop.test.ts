import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { AuditLog, LicenseManager, systemClock } from "../src/index.js";
import { CONFORMANCE, issue, REPO_ROOT, tempDir, trustedKeys } from "./support.js";

// The Java CLI from the Maven build (the reactor builds keyturn-cli before this module).
const JAR = join(REPO_ROOT, "keyturn-cli/target/keyturn.jar");
if (!existsSync(JAR) && process.env["CI"] === "true") throw new Error(`CI=true but ${JAR} is missing: build keyturn-cli first`);
const KEYS = join(CONFORMANCE, "keys", "2026-a.public.pem");
// The Java CLI runs on the real clock, so the SDK does too here; the license is valid for decades around it.
const LICENSE = { notBefore: "2000-01-01T00:00:00Z", expiresAt: "2099-01-01T00:00:00Z" };

function java(...args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync("java", ["-jar", JAR, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

describe("the state directory is shared with the Java client", { skip: !existsSync(JAR) && `no ${JAR}: build keyturn-cli to run (it fails under CI=true)` }, () => {
  it("Java's keyturn status reads a state directory this SDK wrote, signed state and all", (t) => {
    const dir = tempDir(t);
    const m = new LicenseManager({ stateDir: dir, trustedKeys: trustedKeys(), clock: systemClock, background: false });
    assert.equal(m.install(issue(LICENSE)).code, "VALID");
    m.close();
    const r = java("status", "--state-dir", dir, "--trust", KEYS, "--zone", "UTC", "--json");
    assert.equal(r.code, 0, r.out);
    const status = JSON.parse(r.out) as { mode: string; flags: string[]; license: { id: string } };
    assert.deepEqual([status.mode, status.flags, status.license.id], ["FULL", [], "lic_test_0001"]);
  });

  it("this SDK reads a state directory Java's keyturn install wrote, and continues its audit chain", (t) => {
    const dir = join(tempDir(t), "state");
    mkdirSync(dir);
    const file = join(dir, "..", "acme.license.toml");
    writeFileSync(file, issue(LICENSE));
    assert.equal(java("install", file, "--state-dir", dir, "--trust", KEYS, "--json").code, 0);
    const m = new LicenseManager({ stateDir: dir, trustedKeys: trustedKeys(), clock: systemClock, background: false });
    const s = m.standing();
    assert.deepEqual([s.mode, s.flags, s.license?.id], ["FULL", [], "lic_test_0001"]);
    m.install("not a license");
    m.close();
    assert.equal(AuditLog.verifyDirectory(dir).intact, true);
    assert.equal(java("status", "--state-dir", dir, "--trust", KEYS, "--json").code, 0);
  });
});
