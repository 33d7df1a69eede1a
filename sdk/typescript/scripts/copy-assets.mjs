// Copies the banner component from its one source (keyturn-client-web) into the package, so the SDK serves exactly
// what the Java filter serves. test/assets.test.ts fails if the packaged copy ever differs.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const sdk = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(sdk, "../../keyturn-client-web/src/main/resources/dev/keyturn/client/web");
mkdirSync(join(sdk, "assets"), { recursive: true });
for (const name of ["banner.js", "banner.css"]) {
  copyFileSync(join(source, name), join(sdk, "assets", name));
}
