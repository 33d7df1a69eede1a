import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LicenseFormatError, readLicense } from "../src/index.js";
import { issue } from "./support.js";

const LICENSE = { notBefore: "2027-02-01T00:00:00Z", expiresAt: "2027-04-01T00:00:00Z" };

function refused(text: string, message: RegExp): void {
  assert.throws(() => readLicense(text), (e: unknown) => e instanceof LicenseFormatError && e.code === "MALFORMED" && message.test(e.message));
}

// smol-toml reads TOML 1.1; Java's reader (and so the signature's meaning) is TOML 1.0.
describe("readLicense keeps to TOML 1.0, as the Java reader does", () => {
  const valid = issue(LICENSE);
  const withExtension = (line: string) => valid.replace('tier = "standard"', `tier = "standard"\n${line}`);

  it("refuses the escapes TOML 1.1 added", () => {
    refused(withExtension('note = "\\e[31m"'), /the escape \\e is not one of TOML 1\.0/);
    refused(withExtension('note = "\\x41"'), /the escape \\x is not one of TOML 1\.0/);
  });

  it("refuses a time without seconds", () => {
    refused(withExtension("daily = 09:30"), /a time without seconds/);
  });

  it("refuses integers beyond 64 bits", () => {
    refused(withExtension("big = 9223372036854775808"), /^not a valid TOML file: license\.big is an integer beyond 64 bits$/);
  });

  it("refuses a fraction of a second it cannot keep exactly, and keeps milliseconds", () => {
    refused(withExtension("at = 2027-01-01T00:00:00.123456Z"), /finer than milliseconds/);
    const ms = readLicense(withExtension("at = 2027-01-01T00:00:00.120Z"));
    assert.match(ms.canonicalBytes().toString(), /at=t2027-01-01T00:00:00\.120Z/);
  });

  it("accepts what TOML 1.0 allows in strings and comments alike", () => {
    const ok = readLicense(withExtension('note = "tab\\there \\u00e9 \\\\ \\"q\\"" # a comment with \\e and 09:30'));
    assert.equal(ok.table.get("note"), 'tab\there é \\ "q"');
  });
});
