import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { run } from "../src/cli/run.js";
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

/** Java's evaluated_at is truncated to whole seconds by the runner (the guard credits the command's own ms). */
function normalize(v: unknown, dir: string): unknown {
  if (typeof v === "string") return v.split(dir).join("${DIR}");
  if (Array.isArray(v)) return v.map((x) => normalize(x, dir));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = k === "evaluated_at" && typeof x === "string" ? x.replace(/\.\d+Z$/, "Z") : normalize(x, dir);
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
          const actual = normalize(JSON.parse(out), dir) as { message?: string };
          const expected = step.stdout_json as { message?: string };
          // The TOML parser's own words are matched by their stable prefix only (conformance/README.md, Messages).
          if (expected.message?.startsWith(TOML_PREFIX) && actual.message?.startsWith(TOML_PREFIX)) actual.message = expected.message;
          assert.deepEqual(actual, expected, what);
        } else if (step.stdout !== null && code !== 2) {
          assert.equal(normalize(out, dir), step.stdout, what);
        }
        if (code !== 2) {
          const first = (normalize(err, dir) as string).split("\n")[0] as string;
          const expected = step.stderr.split("\n")[0] as string;
          if (expected.includes(TOML_PREFIX)) assert.ok(first.startsWith(expected.slice(0, expected.indexOf(TOML_PREFIX) + TOML_PREFIX.length)), what);
          else assert.equal(first, expected, what);
        }
      }
    });
  }
});
