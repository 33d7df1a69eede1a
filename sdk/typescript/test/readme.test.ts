import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { it } from "node:test";
import { embed } from "./embed.js";
import { CONFORMANCE, SDK_ROOT, tempDir } from "./support.js";

function between(text: string, begin: RegExp, end: RegExp): string {
  const lines = text.split("\n");
  const from = lines.findIndex((l) => begin.test(l));
  const to = lines.findIndex((l, i) => i > from && end.test(l));
  assert.ok(from >= 0 && to > from, `markers ${begin} … ${end} not found`);
  return lines
    .slice(from + 1, to)
    .map((l) => l.trim())
    .join("\n");
}

it("README shows the embed example exactly as test/embed.ts compiles it", () => {
  const source = readFileSync(join(SDK_ROOT, "test/embed.ts"), "utf8");
  const readme = readFileSync(join(SDK_ROOT, "README.md"), "utf8");
  const code = between(source, /README-BEGIN/, /README-END/);
  const block = between(readme, /^```ts embed$/, /^```$/);
  assert.equal(block, `import { KeyRing, LicenseManager, nodeMiddleware } from "@keyturn/sdk";\n${code}`);
});

it("the embed example runs: without a license the product answers with the lock screen", async (t) => {
  const server = embed(tempDir(t), join(CONFORMANCE, "keys"), (_req, res) => res.end("product"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { Accept: "text/html" } });
  assert.equal(res.status, 423);
  assert.match(await res.text(), /Acme Notes is locked/);
});
