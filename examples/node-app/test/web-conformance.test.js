import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { createApp, listen } from "../src/app.js";

// conformance/web/web_conformance.py walks a fresh example through a license's life over HTTP and checks every
// /license/* route and the mode gate against the Java filter's behaviour (conformance/web/README.md).
const SCRIPT =
  process.env.KEYTURN_WEB_CONFORMANCE ?? fileURLToPath(new URL("../../../conformance/web/web_conformance.py", import.meta.url));
const PYTHON = "/usr/bin/python3";
if (!existsSync(PYTHON) && process.env.CI === "true") throw new Error(`CI=true but ${PYTHON} is missing`);
const skip = !existsSync(PYTHON)
  ? `no ${PYTHON}: web conformance skipped (it fails under CI=true)`
  : !existsSync(SCRIPT)
    ? `no ${SCRIPT} in this checkout: web conformance skipped`
    : false;

function runScript(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("web conformance of the Express middleware", { skip }, () => {
  for (const [preset, grace] of [
    ["appliance", "full"],
    ["subscription", "read-only"],
  ]) {
    it(`passes every check with the ${preset} preset (${grace} grace)`, async (t) => {
      const dataDir = mkdtempSync(join(tmpdir(), "acme-notes-conformance-"));
      const ctx = createApp({ dataDir, demo: { preset } });
      const { server, url } = await listen(ctx.app, 0);
      t.after(async () => {
        ctx.licenses.close();
        await new Promise((resolve) => server.close(resolve));
        rmSync(dataDir, { recursive: true, force: true });
      });
      const { code, output } = await runScript([url, "--expect-grace", grace, "--timeout", "30"]);
      assert.equal(code, 0, output);
      assert.match(output, /checks passed, 0 failed/);
    });
  }
});
