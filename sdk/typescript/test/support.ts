import { createPrivateKey, sign } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { KeyRing, readLicense } from "../src/index.js";

/** The repository root: tests run from sdk/typescript/dist/test. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const SDK_ROOT = join(REPO_ROOT, "sdk/typescript");
export const CONFORMANCE = process.env["KEYTURN_CONFORMANCE_DIR"] ?? join(REPO_ROOT, "conformance");

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: { after(fn: () => void): void }, prefix = "keyturn-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}


const PLACEHOLDER = Buffer.alloc(64).toString("base64");

/** The conformance suite's current vendor key (a test key from a fixed seed, never for real licenses). */
export const KEY_ID = "2026-a";
export function trustedKeys(): KeyRing {
  return KeyRing.fromPaths(join(CONFORMANCE, "keys", `${KEY_ID}.public.pem`));
}

export interface LicenseFields {
  id?: string;
  notBefore: string;
  expiresAt: string;
  issuedAt?: string;
  preset?: "appliance" | "subscription";
  graceDays?: number;
  graceMode?: "full" | "read-only";
  seats?: number;
  limits?: Record<string, number>;
  features?: string[];
  instanceDomain?: string;
  customer?: string;
  /** `[license.overage_percent]`: limit name → percent. */
  overage?: Record<string, number>;
}

/** A license file signed over its canonical form with the conformance key, as the vendor's server issues them. */
export function issue(f: LicenseFields): string {
  const limits = Object.entries(f.limits ?? { users: 25 })
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");
  const text = `format = 1

[license]
id = "${f.id ?? "lic_test_0001"}"
subscription_id = "sub_test"
customer = "${f.customer ?? "Acme Corp"}"
${f.instanceDomain ? `instance_domain = "${f.instanceDomain}"\n` : ""}tier = "standard"
seats = ${f.seats ?? 25}
features = [${(f.features ?? ["notes"]).map((x) => `"${x}"`).join(", ")}]
issued_at = ${f.issuedAt ?? f.notBefore}
not_before = ${f.notBefore}
expires_at = ${f.expiresAt}

[license.limits]
${limits}
${f.overage ? `\n[license.overage_percent]\n${Object.entries(f.overage).map(([k, v]) => `${k} = ${v}`).join("\n")}\n` : ""}
[license.policy]
preset = "${f.preset ?? "appliance"}"
grace_days = ${f.graceDays ?? (f.preset === "subscription" ? 7 : 60)}
grace_mode = "${f.graceMode ?? (f.preset === "subscription" ? "read-only" : "full")}"

[signature]
algorithm = "ed25519"
key_id = "${KEY_ID}"
value = "${PLACEHOLDER}"
`;
  const key = createPrivateKey(readFileSync(join(CONFORMANCE, "keys", `${KEY_ID}.private.pem`)));
  return text.replace(PLACEHOLDER, sign(null, readLicense(text).canonicalBytes(), key).toString("base64"));
}
