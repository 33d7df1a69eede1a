import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { KeyRing, licenseJson, normalizeDomain, readLicense, verify, verifySignature, LicenseFormatError } from "../src/index.js";
import { CONFORMANCE, readJson } from "./support.js";

interface Expected {
  code: string;
  message: string;
  message_match: "exact" | "prefix";
  message_prefix: string;
  signature_code: string | null;
  license: unknown;
  canonical: string | null;
  check_in_token: string | null;
}
interface Case {
  name: string;
  file_base64: string;
  key_ring: string;
  at: string;
  instance_domain: string | null;
  expected: Expected;
}

const vectors = join(CONFORMANCE, "vectors");

function rings(): Map<string, KeyRing> {
  const keys = readJson<{ key_rings: Record<string, string[]> }>(join(vectors, "keys.json"));
  const out = new Map<string, KeyRing>();
  for (const [name, ids] of Object.entries(keys.key_rings)) {
    out.set(name, KeyRing.fromPaths(...ids.map((id) => join(CONFORMANCE, "keys", `${id}.public.pem`))));
  }
  return out;
}

describe("conformance: verification.json", { skip: !existsSync(join(vectors, "verification.json")) && "no conformance vectors" }, () => {
  const cases = readJson<{ cases: Case[] }>(join(vectors, "verification.json")).cases;
  const ringsByName = rings();
  for (const c of cases) {
    it(c.name, () => {
      const ring = ringsByName.get(c.key_ring);
      assert.ok(ring, `key ring ${c.key_ring}`);
      const bytes = Buffer.from(c.file_base64, "base64");
      const v = verify(bytes, ring, { at: Date.parse(c.at), instanceDomain: c.instance_domain ?? undefined });
      const e = c.expected;
      assert.equal(v.code, e.code, v.message);
      if (e.message_match === "exact") {
        assert.equal(v.message, e.message);
      } else {
        assert.ok(v.message.startsWith(e.message_prefix), `${v.message} should start with ${e.message_prefix}`);
      }
      let signed;
      try {
        signed = readLicense(bytes);
      } catch (err) {
        assert.ok(err instanceof LicenseFormatError);
        assert.equal(e.license, null);
        assert.equal(e.signature_code, null);
        return;
      }
      assert.deepEqual(licenseJson(signed), e.license);
      assert.equal(signed.canonicalBytes().toString("utf8"), e.canonical);
      assert.equal(signed.checkInToken(), e.check_in_token);
      assert.equal(verifySignature(signed, ring).code, e.signature_code);
    });
  }

  const domains = readJson<{ instance_domains?: { input: string; normalized: string | null; error: string | null }[] }>(
    join(vectors, "verification.json"),
  ).instance_domains;
  it("normalizes instance domains as the reference", { skip: !domains && "no instance_domains vectors" }, () => {
    for (const d of domains ?? []) {
      if (d.error !== null) {
        assert.throws(() => normalizeDomain(d.input), { message: d.error }, JSON.stringify(d.input));
      } else {
        assert.equal(normalizeDomain(d.input), d.normalized, JSON.stringify(d.input));
      }
    }
  });
});
