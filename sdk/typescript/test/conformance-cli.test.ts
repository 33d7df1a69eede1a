import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { run } from "../src/cli/run.js";
import { isoInstant } from "../src/index.js";
import { CONFORMANCE, readJson, tempDir } from "./support.js";

interface Step {
  now: string;
  argv: string[];
  exit_code: number;
  stdout_json: unknown;
  stdout: string | null;
  stderr: string;
}
interface Scenario {
  name: string;
  files: Record<string, string>;
  dirs: string[];
  steps: Step[];
}

const file = join(CONFORMANCE, "vectors", "cli.json");
const TOML_PREFIX = "not a valid TOML file";
const GUARD_CREDIT_MS = 60_000; // conformance/README.md: "less than a minute after clock_time"

/**
 * The scratch folder as `${DIR}`, and `evaluated_at` as the step's `now` when it is at most a few seconds later: the
 * clock guard credits the time the command itself ran (monotonic time), so on a loaded machine licensing time is a
 * second or two past the fixed clock (clock_time), in the reference's recording as in this run.
 */
function normalize(v: unknown, dir: string, now: number): unknown {
  if (typeof v === "string") return v.split(dir).join("${DIR}");
  if (Array.isArray(v)) return v.map((x) => normalize(x, dir, now));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const credited = k === "evaluated_at" && typeof x === "string" && Date.parse(x) >= now && Date.parse(x) - now <= GUARD_CREDIT_MS;
      out[k] = credited ? isoInstant(now) : normalize(x, dir, now);
    }
    return out;
  }
  return v;
}

describe("conformance: cli.json", { skip: !existsSync(file) && "no CLI vectors" }, () => {
  for (const s of readJson<{ scenarios: Scenario[] }>(file).scenarios) {
    it(s.name, (t) => {
      const dir = tempDir(t);
      for (const [path, b64] of Object.entries(s.files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), Buffer.from(b64, "base64"));
      }
      for (const d of s.dirs) mkdirSync(join(dir, d), { recursive: true });
      for (const step of s.steps) {
        let out = "";
        let err = "";
        const argv = step.argv.map((a) => a.split("${DIR}").join(dir));
        const code = run(argv, { out: (x) => (out += x), err: (x) => (err += x), now: () => Date.parse(step.now), color: false });
        const what = `${step.argv.join(" ")} at ${step.now}: ${err}`;
        assert.equal(code, step.exit_code, what);
        if (step.stdout_json !== null) {
          const now = Date.parse(step.now);
          const actual = normalize(JSON.parse(out), dir, now) as { message?: string };
          const expected = normalize(step.stdout_json, "\u0000", now) as { message?: string };
          // The TOML parser's own words are matched by their stable prefix only (conformance/README.md, Messages).
          if (expected.message?.startsWith(TOML_PREFIX) && actual.message?.startsWith(TOML_PREFIX)) actual.message = expected.message;
          assert.deepEqual(actual, expected, what);
        } else if (step.stdout !== null && code !== 2) {
          assert.equal(normalize(out, dir, 0), step.stdout, what);
        }
        if (code !== 2) {
          const first = (normalize(err, dir, 0) as string).split("\n")[0] as string;
          const expected = step.stderr.split("\n")[0] as string;
          if (expected.includes(TOML_PREFIX)) assert.ok(first.startsWith(expected.slice(0, expected.indexOf(TOML_PREFIX) + TOML_PREFIX.length)), what);
          else assert.equal(first, expected, what);
        }
      }
    });
  }
});
