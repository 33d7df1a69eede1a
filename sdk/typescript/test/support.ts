import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: tests run from sdk/typescript/dist/test. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const SDK_ROOT = join(REPO_ROOT, "sdk/typescript");
export const CONFORMANCE = process.env["KEYTURN_CONFORMANCE_DIR"] ?? join(REPO_ROOT, "conformance");

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** A fresh temporary directory, removed when the test ends. */
export function tempDir(t: { after(fn: () => void): void }, prefix = "keyturn-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
