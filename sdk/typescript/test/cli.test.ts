import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { run } from "../src/cli/run.js";
import { CONFORMANCE, issue, tempDir } from "./support.js";

const KEYS = join(CONFORMANCE, "keys", "2026-a.public.pem");
const LICENSE = { notBefore: "2027-02-01T00:00:00Z", expiresAt: "2027-04-01T00:00:00Z" };

function keyturn(args: string[], now = "2027-03-01T09:00:00Z") {
  let out = "";
  let err = "";
  const code = run(args, { out: (s) => (out += s), err: (s) => (err += s), now: () => Date.parse(now), color: false });
  return { code, out, err };
}

function licenseFile(t: TestContext, text = issue(LICENSE)): string {
  const dir = tempDir(t);
  const file = join(dir, "acme.license.toml");
  writeFileSync(file, text);
  return file;
}

describe("keyturn (Node)", () => {
  it("license verify exits 0 only for VALID, with the Java CLI's JSON", (t) => {
    const file = licenseFile(t);
    const ok = keyturn(["license", "verify", file, "--trust", KEYS, "--json"]);
    assert.equal(ok.code, 0);
    const json = JSON.parse(ok.out) as { code: string; message: string; license: { id: string; key_id: string } };
    assert.equal(json.code, "VALID");
    assert.equal(json.message, "valid for Acme Corp until 2027-04-01T00:00:00Z");
    assert.equal(json.license.key_id, "2026-a");
    const expired = keyturn(["license", "verify", file, "--trust", KEYS, "--at", "2027-05-01"]);
    assert.equal(expired.code, 1);
    assert.match(expired.err, /^EXPIRED: this license expired at 2027-04-01T00:00:00Z; it is now 2027-05-01T00:00:00Z/);
    assert.match(expired.err, /customer +Acme Corp/); // the fields stay with the verdict
    assert.equal(expired.out, "");
  });

  it("license verify reports an unreadable file as MALFORMED and a missing one as a failed operation", (t) => {
    const bad = keyturn(["license", "verify", licenseFile(t, "format = 1\n[license"), "--trust", KEYS, "--json"]);
    assert.equal(bad.code, 1);
    assert.equal((JSON.parse(bad.out) as { code: string }).code, "MALFORMED");
    const missing = keyturn(["license", "verify", "/nonexistent.license.toml", "--trust", KEYS]);
    assert.deepEqual([missing.code, missing.err], [1, "keyturn: no such file: /nonexistent.license.toml\n"]);
  });

  it("exits 2 on a usage error", () => {
    assert.equal(keyturn(["license", "verify", "x.toml"]).code, 2);
    assert.equal(keyturn(["license", "verify", "x.toml", "--trust", KEYS, "--at", "yesterday"]).code, 2);
    assert.equal(keyturn(["frobnicate"]).code, 2);
    assert.equal(keyturn([]).code, 2);
    const help = keyturn(["status", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.out, /4 {2}status: the product is locked/);
  });

  it("install then status: 0 in full mode, 3 read-only, 4 locked, and status writes nothing", (t) => {
    const stateDir = join(tempDir(t), "state");
    mkdirSync(stateDir);
    const file = licenseFile(t, issue({ ...LICENSE, preset: "subscription" }));
    const installed = keyturn(["install", file, "--state-dir", stateDir, "--trust", KEYS, "--zone", "UTC", "--json"]);
    assert.equal(installed.code, 0, installed.err);
    const result = JSON.parse(installed.out) as { code: string; installed: boolean; status: { mode: string } };
    assert.deepEqual([result.code, result.installed, result.status.mode], ["VALID", true, "FULL"]);

    const state = readFileSync(join(stateDir, "state.json"), "utf8");
    const full = keyturn(["status", "--state-dir", stateDir, "--trust", KEYS, "--zone", "UTC"]);
    assert.equal(full.code, 0);
    assert.match(full.out, /^active\n/);
    const grace = keyturn(["status", "--state-dir", stateDir, "--trust", KEYS, "--zone", "UTC", "--json"], "2027-04-02T00:00:00Z");
    assert.equal(grace.code, 3);
    assert.equal((JSON.parse(grace.out) as { mode: string }).mode, "READ_ONLY");
    const locked = keyturn(["status", "--state-dir", stateDir, "--trust", KEYS, "--zone", "UTC"], "2027-05-01T00:00:00Z");
    assert.equal(locked.code, 4);
    assert.match(locked.out, /^locked\n/);
    assert.equal(readFileSync(join(stateDir, "state.json"), "utf8"), state);
  });

  it("install refuses a tampered file with its code and exit 1, leaving nothing installed", (t) => {
    const stateDir = tempDir(t);
    const r = keyturn(["install", licenseFile(t, issue(LICENSE).replace("Acme Corp", "Evil Corp")), "--state-dir", stateDir, "--trust", KEYS]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^keyturn: SIGNATURE_MISMATCH: /);
    assert.match(r.err, /nothing was installed; in force: locked: no license/);
    assert.equal(keyturn(["status", "--state-dir", stateDir, "--trust", KEYS]).code, 4);
  });

  it("status refuses a state directory that does not exist", () => {
    const r = keyturn(["status", "--state-dir", "/nonexistent/state", "--trust", KEYS]);
    assert.equal(r.code, 1);
    assert.match(r.err, /no such directory: \/nonexistent\/state/);
  });
});
