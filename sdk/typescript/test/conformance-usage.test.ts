import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { StateStore } from "../src/client/state.js";
import { loadUsage, USAGE_FILE } from "../src/client/usage-store.js";
import { evaluateUsage, increase, type Grant } from "../src/index.js";
import { CONFORMANCE, readJson } from "./support.js";

interface GrantJson {
  seats: number;
  limits: Record<string, number>;
  overage_percent: Record<string, number>;
}

interface UsageVectors {
  standing: { name: string; license: GrantJson; usage: Record<string, number>; expected: { level: string; limits: unknown[]; banner: unknown } }[];
  increase: {
    name: string;
    license: GrantJson;
    limit: string;
    usage: number;
    by: number;
    expected: { allowed: boolean; after: number; ceiling: number | null; message: string };
  }[];
  errors: { name: string; call: string; license: GrantJson; usage: Record<string, number>; limit: string; by: number; error: string }[];
  records: { name: string; state_key_hex: string; file_base64: string; expected: { status: string; record: unknown } }[];
}

const grant = (g: GrantJson): Grant => ({
  seats: g.seats,
  limits: new Map(Object.entries(g.limits)),
  overagePercent: new Map(Object.entries(g.overage_percent)),
});
const usageMap = (u: Record<string, number>) => new Map(Object.entries(u));
const vectors = readJson<UsageVectors>(join(CONFORMANCE, "vectors", "usage.json"));

describe("conformance: usage.json", () => {
  for (const c of vectors.standing) {
    it(`standing ${c.name}`, () => {
      const s = evaluateUsage(grant(c.license), usageMap(c.usage));
      assert.equal(s.level, c.expected.level);
      assert.deepEqual(
        s.limits.map((l) => ({
          limit: l.limit,
          usage: l.usage,
          licensed: l.licensed,
          overage_percent: l.overagePercent,
          ceiling: l.ceiling,
          level: l.level,
          text: l.text,
        })),
        c.expected.limits,
      );
      assert.deepEqual({ ...s.banner }, c.expected.banner);
    });
  }
  for (const c of vectors.increase) {
    it(`increase ${c.name}`, () => {
      const d = increase(grant(c.license), c.limit, c.usage, c.by);
      assert.deepEqual({ allowed: d.allowed, after: d.after, ceiling: d.ceiling, message: d.message }, c.expected);
    });
  }
  for (const c of vectors.errors) {
    it(`error ${c.name}`, () => {
      assert.throws(
        () =>
          c.call === "evaluate"
            ? evaluateUsage(grant(c.license), usageMap(c.usage))
            : increase(grant(c.license), c.limit, c.usage[c.limit] as number, c.by),
        { message: c.error },
      );
    });
  }
  for (const c of vectors.records) {
    it(`record ${c.name}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "keyturn-usage-"));
      writeFileSync(join(dir, "state.key"), Buffer.from(c.state_key_hex, "hex"));
      writeFileSync(join(dir, USAGE_FILE), Buffer.from(c.file_base64, "base64"));
      const loaded = loadUsage(new StateStore(dir));
      assert.equal(loaded.status, c.expected.status);
      assert.deepEqual(loaded.record ?? null, c.expected.record);
    });
  }
});
