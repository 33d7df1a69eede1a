import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { CONFORMANCE, readJson } from "./support.js";

const VECTORS = join(CONFORMANCE, "vectors");
const KNOWN_FORMAT_VERSION = 1;
const RUN_BY_THIS_SDK = ["keys", "verification", "lifecycle", "check-in", "cli", "web", "banner-assets", "usage"];

it("knows the format of every vector file, and runs every one", { skip: !existsSync(VECTORS) && "no conformance vectors" }, () => {
  for (const name of readdirSync(VECTORS).filter((f) => f.endsWith(".json"))) {
    const file = readJson<{ suite: string; format_version: number }>(join(VECTORS, name));
    assert.equal(file.format_version, KNOWN_FORMAT_VERSION, `${name}: format_version ${file.format_version} is newer than this runner`);
    assert.ok(RUN_BY_THIS_SDK.includes(file.suite), `${name}: suite '${file.suite}' has no runner in sdk/typescript/test`);
  }
});
