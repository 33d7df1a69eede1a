// The demo's vendor side: a key pair made on the spot and licenses signed with it, as the Keyturn server would
// issue them. The SDK verifies licenses; issuing them is the vendor's business, so this lives in the example.
import { generateKeyPairSync, sign } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KeyRing, readLicense } from "@keyturn/sdk";

export const KEY_ID = "demo";
export const CUSTOMER = "Demo Customer Inc.";
const PLACEHOLDER = Buffer.alloc(64).toString("base64");

export class DemoVendor {
  #privateKey;
  #issued = 0;

  /** Writes the public key to `keysDir/demo.public.pem`, as a product would be shipped with it. */
  constructor(keysDir, preset) {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    mkdirSync(keysDir, { recursive: true });
    writeFileSync(join(keysDir, `${KEY_ID}.public.pem`), publicKey.export({ type: "spki", format: "pem" }));
    this.#privateKey = privateKey;
    this.preset = preset;
    this.trustedKeys = KeyRing.fromPaths(keysDir);
  }

  /** A license file valid in [notBefore, expiresAt), signed over its canonical form (never its text). */
  issue(notBefore, expiresAt, issuedAt) {
    const grace = this.preset === "subscription" ? "grace_days = 7\ngrace_mode = \"read-only\"" : "grace_days = 60\ngrace_mode = \"full\"";
    const id = `lic_demo_${String(++this.#issued).padStart(4, "0")}`;
    const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
    const text = `# Keyturn license for ${CUSTOMER}, valid from ${iso(notBefore)} until ${iso(expiresAt)}.
# Editing anything in [license] invalidates the signature.
format = 1

[license]
id = "${id}"
subscription_id = "sub_demo_0001"
customer = "${CUSTOMER}"
tier = "standard"
seats = 25
features = ["notes"]
tags = []
issued_at = ${iso(issuedAt)}
not_before = ${iso(notBefore)}
expires_at = ${iso(expiresAt)}

[license.limits]
users = 25

[license.policy]
preset = "${this.preset}"
${grace}

[signature]
algorithm = "ed25519"
key_id = "${KEY_ID}"
value = "${PLACEHOLDER}"
`;
    const signature = sign(null, readLicense(text).canonicalBytes(), this.#privateKey).toString("base64");
    return text.replace(PLACEHOLDER, signature);
  }
}
