// Benchmarks of verify and of the per-request check (`allows`, `mode`, `limit`), with a raw node:crypto Ed25519
// verify as the baseline. Run from sdk/typescript after a build:  npm run build && node bench/run.mjs
// Prints ops/s and ns/op per benchmark; nothing here is a test (timings depend on the machine).
import { generateKeyPairSync, sign, verify as ed25519Verify } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KeyRing, LicenseManager, readLicense, SettableClock, verify } from "../dist/src/index.js";

const { publicKey, privateKey } = generateKeyPairSync("ed25519");
const dir = mkdtempSync(join(tmpdir(), "keyturn-bench-"));
writeFileSync(join(dir, "bench.public.pem"), publicKey.export({ type: "spki", format: "pem" }));
const keys = KeyRing.fromPaths(dir);
const placeholder = Buffer.alloc(64).toString("base64");
const unsigned = `format = 1

[license]
id = "lic_bench"
subscription_id = "sub_bench"
customer = "Acme Corp"
instance_domain = "tools.acme.example"
tier = "enterprise"
seats = 250
features = ["sso", "audit-export", "api"]
tags = []
issued_at = 2026-11-20T10:00:00Z
not_before = 2026-11-22T00:00:00Z
expires_at = 2027-11-22T00:00:00Z

[license.limits]
users = 250
devices = 5000

[license.policy]
preset = "appliance"
grace_days = 60
grace_mode = "full"

[signature]
algorithm = "ed25519"
key_id = "bench"
value = "${placeholder}"
`;
const canonical = readLicense(unsigned).canonicalBytes();
const signature = sign(null, canonical, privateKey);
const text = unsigned.replace(placeholder, signature.toString("base64"));
const at = Date.parse("2027-06-01T00:00:00Z");

function bench(name, fn, seconds = 2) {
  for (let i = 0; i < 2000; i++) fn(); // warm-up
  let ops = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(seconds * 1e9);
  let now = start;
  while (now < until) {
    for (let i = 0; i < 1000; i++) fn();
    ops += 1000;
    now = process.hrtime.bigint();
  }
  const ns = Number(now - start) / ops;
  console.log(`${name.padEnd(44)} ${Math.round(1e9 / ns).toLocaleString("en-US").padStart(14)} ops/s ${ns.toFixed(1).padStart(12)} ns/op`);
  return ns;
}

let sink = 0;
console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
const raw = bench("raw Ed25519 verify (node:crypto)", () => {
  sink += ed25519Verify(null, canonical, publicKey, signature) ? 1 : 0;
});
const full = bench("verify(text): parse + canonical + Ed25519", () => {
  sink += verify(text, keys, { at, instanceDomain: "tools.acme.example" }).valid ? 1 : 0;
});
const signed = readLicense(text);
const parsed = bench("verify(parsed license): canonical + Ed25519", () => {
  sink += verify(signed, keys, { at }).valid ? 1 : 0;
});

const state = mkdtempSync(join(tmpdir(), "keyturn-bench-state-"));
const licenses = new LicenseManager({ stateDir: state, trustedKeys: keys, clock: new SettableClock(at), background: false });
licenses.install(text);
bench("allows(feature) per request", () => {
  sink += licenses.allows("sso") ? 1 : 0;
});
bench("mode() per request", () => {
  sink += licenses.mode() === "FULL" ? 1 : 0;
});
bench("limit(name) per request", () => {
  sink += licenses.limit("users");
});
console.log(`verify(text) / raw verify: ${(full / raw).toFixed(2)}x; verify(parsed) / raw verify: ${(parsed / raw).toFixed(2)}x (sink ${sink > 0})`);
licenses.close();
rmSync(dir, { recursive: true, force: true });
rmSync(state, { recursive: true, force: true });
