import { ClientError, type VerificationCode } from "../errors.js";
import type { License } from "../license/license.js";
import { DEFAULT_READ_LIMITS } from "../license/reader.js";
import { isoInstant } from "../time.js";
import { verify } from "../verify.js";
import type { Engine } from "./engine.js";
import { readBounded } from "./files.js";
import type { GuardedTime } from "./guard.js";
import { compareNewest, LICENSE_SUFFIX, type InstalledLicense } from "./history.js";
import { describeExcess, excesses, limitOf, type LimitExcess } from "./standing.js";
import { recordedUsageNote } from "./usage-store.js";

const MAX_AUDITED_MESSAGE = 500;

/** What an install did. `VALID` means installed; every other code means rejected, with nothing changed. */
export interface InstallResult {
  readonly code: VerificationCode;
  readonly message: string;
  readonly license: License | undefined;
  readonly excesses: readonly LimitExcess[];
  /** Whether the license is now the one in force. */
  readonly inForce: boolean;
  readonly installed: boolean;
}

function result(code: VerificationCode, message: string, license: License | undefined, excess: readonly LimitExcess[] = [], inForce = false): InstallResult {
  return Object.freeze({ code, message, license, excesses: excess, inForce, installed: code === "VALID" });
}

/**
 * DESIGN §5's install: verify → instance → validity → not revoked → limits against usage → atomic write → swap in
 * memory → audit. Used by the manager's install and by check-in for a license the server sends.
 */
export class Installer {
  constructor(
    private readonly engine: Engine,
    private readonly usage: (() => Readonly<Record<string, number>>) | undefined,
  ) {}

  installFile(file: string): InstallResult {
    let bytes: Buffer;
    try {
      bytes = readBounded(file, DEFAULT_READ_LIMITS.maxFileBytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return result("MALFORMED", code === "ENOENT" ? `no such file: ${file}` : `cannot read ${file}: ${(e as Error).message}`, undefined);
    }
    if (bytes.length > DEFAULT_READ_LIMITS.maxFileBytes) return this.install(bytes.toString("latin1")); // the reader names the limit
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return result("MALFORMED", `${file} is not UTF-8 text`, undefined);
    }
    return this.install(text);
  }

  install(text: string): InstallResult {
    return this.engine.locked(() => this.installLocked(text));
  }

  /** The install itself; the caller holds the lock. */
  installLocked(text: string): InstallResult {
    const engine = this.engine;
    engine.history.reloadIfChanged();
    const t = engine.now();
    const v = verify(text, engine.trustedKeys, { at: t.effective, instanceDomain: engine.instanceDomain });
    const license = v.license?.license;
    if (!v.valid || !v.license || !license) return this.reject(t, v.code, v.message, license);
    const revoked = engine.state.revoked[license.id];
    if (revoked !== undefined) {
      return this.reject(t, "REVOKED", `the vendor revoked license ${license.id} (${revoked}); it cannot be installed`, license);
    }
    const candidate: InstalledLicense = { hash: v.license.signatureHash(), signed: v.license };
    const current = engine.history.inForce(t.effective);
    if (engine.history.contains(candidate.hash)) {
      const inForce = current?.hash === candidate.hash;
      return result("VALID", `license ${license.id} is already installed${inForce ? " and in force" : ""}`, license, [], inForce);
    }
    const becomesInForce = !current || compareNewest(candidate, current) > 0;
    let note = "";
    if (becomesInForce) {
      const recorded = this.usage === undefined;
      if (recorded) engine.reloadUsage(); // the running product records it, maybe in another process
      const before = current?.signed.license;
      const usage = this.currentUsage();
      if (recorded && before && [...usage.keys()].some((name) => limitOf(license, name) < limitOf(before, name))) {
        note = recordedUsageNote(engine.usageRecord, t.effective);
      }
      const excess = excesses(before, license, usage);
      if (excess.length > 0) {
        return this.reject(
          t,
          "USAGE_EXCEEDS_LIMITS",
          `license ${license.id} lowers limits below current usage: ${excess.map(describeExcess).join("; ")}. Reduce usage first, or ask your vendor for a license with higher limits${note}`,
          license,
          excess,
        );
      }
    }
    try {
      engine.history.add(candidate, text);
    } catch (e) {
      throw new ClientError(`cannot write the license into ${engine.history.dir}: ${(e as Error).message}`);
    }
    engine.publish(t);
    const data = {
      license_id: license.id,
      file: candidate.hash + LICENSE_SUFFIX,
      tier: license.tier,
      expires_at: isoInstant(license.expiresAt),
      in_force: becomesInForce,
    };
    engine.record({ at: t.effective, name: "installed", data }, (s) => s);
    const message = becomesInForce
      ? `installed license ${license.id} for ${license.customer}, valid until ${isoInstant(license.expiresAt)}`
      : `installed license ${license.id}, but license ${current?.signed.license.id} expires later and stays in force`;
    return result("VALID", message + note, license, [], becomesInForce);
  }

  private reject(t: GuardedTime, code: VerificationCode, message: string, license?: License, excess: LimitExcess[] = []): InstallResult {
    const data: Record<string, unknown> = { code };
    if (license) data["license_id"] = license.id;
    // Bounded: a reader message may quote the rejected input.
    data["message"] = message.length > MAX_AUDITED_MESSAGE ? message.slice(0, MAX_AUDITED_MESSAGE) + "…" : message;
    this.engine.record({ at: t.effective, name: "install_rejected", data }, (s) => s);
    return result(code, message, license, excess);
  }

  /** Current usage, asked on install; a failing probe fails the install rather than skip the check. */
  currentUsage(): ReadonlyMap<string, number> {
    // Without a probe: what the product last reported (usage.json).
    if (this.usage === undefined) return new Map(Object.entries(this.engine.usageRecord.current));
    try {
      const u = this.usage?.() ?? {};
      return new Map(Object.entries(u).filter(([, v]) => typeof v === "number"));
    } catch (e) {
      throw new ClientError(`the usage probe failed, so limits cannot be checked: ${(e as Error).message}`);
    }
  }
}
