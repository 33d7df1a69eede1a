import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { KeyRing } from "../crypto/keys.js";
import { LicenseFormatError } from "../errors.js";
import { DEFAULT_READ_LIMITS, readLicense, type SignedLicense } from "../license/reader.js";
import { verifySignature } from "../verify.js";
import { atomicWrite, deleteTemporaryFiles, readBounded } from "./files.js";

export const LICENSES_DIR = "licenses";
export const LICENSE_SUFFIX = ".license.toml";

/** An authentic license file from the history, and the hash it is stored under. */
export interface InstalledLicense {
  readonly hash: string;
  readonly signed: SignedLicense;
}

/**
 * "Newest": the later `expires_at`, then the later `issued_at`, then the hash (only so that every process picks the
 * same license).
 */
export function compareNewest(a: InstalledLicense, b: InstalledLicense): number {
  const x = a.signed.license;
  const y = b.signed.license;
  return x.expiresAt - y.expiresAt || x.issuedAt - y.issuedAt || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
}

/**
 * Every license file ever installed, kept exactly as the vendor sent it in `licenses/`, named by the SHA-256 of its
 * signature (so installing the same license twice is a no-op). The license in force is the newest authentic one
 * for this instance whose `not_before` has passed. Files that fail are ignored, never deleted: they are evidence.
 */
export class LicenseHistory {
  readonly dir: string;
  private authentic: InstalledLicense[] = [];
  private fingerprint: string | undefined;
  ignored: Map<string, string> = new Map();

  constructor(
    stateDir: string,
    private readonly keys: KeyRing,
    private readonly instanceDomain: string | undefined,
  ) {
    this.dir = join(stateDir, LICENSES_DIR);
  }

  createDirectory(): void {
    mkdirSync(this.dir, { recursive: true });
    deleteTemporaryFiles(this.dir);
  }

  /** Re-reads the directory if its list of files changed. A license once read is never forgotten while running. */
  reloadIfChanged(): boolean {
    const names = this.names();
    const now = names.join("/");
    if (now === this.fingerprint) return false;
    this.fingerprint = now;
    const bad = new Map<string, string>();
    for (const name of names) {
      if (this.authentic.some((l) => l.hash + LICENSE_SUFFIX === name)) continue;
      try {
        const signed = readLicense(readBounded(join(this.dir, name), DEFAULT_READ_LIMITS.maxFileBytes));
        const v = verifySignature(signed, this.keys);
        if (!v.valid) {
          bad.set(name, v.message);
        } else if (!this.domainMatches(signed)) {
          bad.set(name, "issued for another instance");
        } else if (!this.contains(signed.signatureHash())) {
          this.authentic.push({ hash: signed.signatureHash(), signed });
        }
      } catch (e) {
        bad.set(name, e instanceof LicenseFormatError ? e.message : `cannot read: ${(e as Error).message}`);
      }
    }
    this.authentic.sort(compareNewest);
    this.ignored = bad;
    return true;
  }

  all(): readonly InstalledLicense[] {
    return this.authentic;
  }

  contains(hash: string): boolean {
    return this.authentic.some((l) => l.hash === hash);
  }

  /** The newest authentic license whose `not_before` has passed at `at`. */
  inForce(at: number): InstalledLicense | undefined {
    for (let i = this.authentic.length - 1; i >= 0; i--) {
      const l = this.authentic[i] as InstalledLicense;
      if (l.signed.license.notBefore <= at) return l;
    }
    return undefined;
  }

  /** The license that starts first after `at` (shown while nothing is in force yet; its start may change which is). */
  nextToStart(at: number): InstalledLicense | undefined {
    return this.authentic
      .filter((l) => l.signed.license.notBefore > at)
      .sort((a, b) => a.signed.license.notBefore - b.signed.license.notBefore)[0];
  }

  latestIssuedAt(): number | undefined {
    return this.authentic.length === 0 ? undefined : Math.max(...this.authentic.map((l) => l.signed.license.issuedAt));
  }

  /** Writes a verified license file atomically and adds it. */
  add(license: InstalledLicense, text: string): void {
    atomicWrite(join(this.dir, license.hash + LICENSE_SUFFIX), text);
    if (!this.contains(license.hash)) {
      this.authentic.push(license);
      this.authentic.sort(compareNewest);
    }
    this.fingerprint = this.names().join("/");
  }

  private names(): string[] {
    try {
      return readdirSync(this.dir)
        .filter((n) => n.endsWith(LICENSE_SUFFIX) && !n.startsWith("."))
        .sort();
    } catch {
      return [];
    }
  }

  private domainMatches(signed: SignedLicense): boolean {
    const bound = signed.license.instanceDomain;
    return bound === undefined || this.instanceDomain === undefined || bound === this.instanceDomain;
  }
}
