#!/usr/bin/env node
// Acme Notes: `node src/main.js --demo [--port 8080] [--preset appliance|subscription] [--data DIR]`,
// or without --demo: `--trust KEYS_DIR --data DIR` on the real clock.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KeyRing } from "@keyturn/sdk";
import { createApp, listen } from "./app.js";

const { values } = parseArgs({
  options: {
    demo: { type: "boolean" },
    port: { type: "string", default: "8081" },
    host: { type: "string", default: "127.0.0.1" },
    preset: { type: "string", default: "appliance" },
    data: { type: "string" },
    trust: { type: "string" },
  },
});
if (!values.demo && !values.trust) {
  console.error("acme-notes: give --demo, or --trust KEYS_DIR with the vendor's public keys");
  process.exit(2);
}
const dataDir = values.data ?? (values.demo ? mkdtempSync(join(tmpdir(), "acme-notes-")) : "keyturn-data/node-app");
const { app } = createApp(
  values.demo ? { dataDir, demo: { preset: values.preset } } : { dataDir, trustedKeys: KeyRing.fromPaths(values.trust) },
);
try {
  const { url } = await listen(app, Number(values.port), values.host);
  console.log(`Acme Notes on ${url}/ (data in ${dataDir})${values.demo ? `; demo controls: ${url}/demo` : ""}`);
} catch (e) {
  if (e.code === "EADDRINUSE") {
    console.error(`acme-notes: port ${values.port} is taken; pick another with --port (0 = any free port)`);
    process.exit(1);
  }
  throw e;
}
