import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { KeyturnWeb, LicenseManager, SettableClock } from "../src/index.js";
import { LICENSE_REJECTED_STATUS, WEB_ERRORS } from "../src/web/http.js";
import { CONFORMANCE, SDK_ROOT, readJson, tempDir, trustedKeys } from "./support.js";

const vectors = join(CONFORMANCE, "vectors");

describe("conformance: web.json and banner-assets.json", { skip: !existsSync(join(vectors, "web.json")) && "no web vectors" }, () => {
  it("refuses with the reference's codes, statuses and titles", () => {
    const web = readJson<{ errors: { code: string; status: number; title: string }[]; license_rejected: { status: number } }>(join(vectors, "web.json"));
    assert.deepEqual(
      Object.entries(WEB_ERRORS).map(([code, [status, title]]) => ({ code, status, title })),
      web.errors,
    );
    assert.equal(LICENSE_REJECTED_STATUS, web.license_rejected.status);
  });

  it("serves the exact banner bytes with the reference's headers", async (t) => {
    const assets = readJson<{ files: { name: string; route: string; content_type: string; bytes: number; sha256: string; etag: string; cache_control: string }[] }>(
      join(vectors, "banner-assets.json"),
    );
    const licenses = new LicenseManager({ stateDir: tempDir(t), trustedKeys: trustedKeys(), clock: new SettableClock(0), background: false });
    t.after(() => licenses.close());
    const web = new KeyturnWeb(licenses);
    for (const f of assets.files) {
      assert.equal(createHash("sha256").update(readFileSync(join(SDK_ROOT, "assets", f.name))).digest("hex"), f.sha256, f.name);
      const res = await web.handle({
        method: "GET",
        path: f.route,
        contextPath: "",
        query: new URLSearchParams(),
        header: () => undefined,
        body: async () => Buffer.alloc(0),
      });
      assert.ok(res);
      assert.equal(res.status, 200);
      assert.equal(res.contentType, f.content_type);
      assert.equal(res.headers["ETag"], f.etag);
      assert.equal(res.headers["Cache-Control"], f.cache_control);
      assert.equal(res.body.length, f.bytes);
    }
  });
});
