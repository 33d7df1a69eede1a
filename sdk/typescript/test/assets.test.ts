import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "node:test";
import { REPO_ROOT, SDK_ROOT } from "./support.js";

// banner.js and banner.css have one source, in keyturn-client-web; the package carries a copy made at build.
for (const name of ["banner.js", "banner.css"]) {
  it(`packages ${name} exactly as keyturn-client-web has it`, () => {
    const source = readFileSync(join(REPO_ROOT, "keyturn-client-web/src/main/resources/dev/keyturn/client/web", name));
    const packaged = readFileSync(join(SDK_ROOT, "assets", name));
    assert.ok(packaged.equals(source), `sdk/typescript/assets/${name} differs from its source: run npm run build`);
  });
}
