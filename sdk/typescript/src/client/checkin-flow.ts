import { bounded, sendCheckIn, type CheckInReply, type ResolvedCheckIn } from "./checkin.js";
import type { Engine } from "./engine.js";
import type { InstalledLicense } from "./history.js";
import type { InstallResult, Installer } from "./installer.js";
import { DEFAULT_PAYMENT_TEXT } from "./standing.js";

export type CheckInOutcome =
  | "OK"
  | "RENEWED"
  | "LICENSE_REJECTED"
  | "REVOKED"
  | "UNKNOWN_LICENSE"
  | "INSTANCE_CONFLICT"
  | "NETWORK_FAILURE"
  | "SERVER_ERROR"
  | "NO_LICENSE"
  | "NOT_CONFIGURED";

export interface CheckInResult {
  readonly outcome: CheckInOutcome;
  readonly message: string;
  readonly install: InstallResult | undefined;
  /** When to check in again: the server's `check_in_after` (bounded), the interval, or the retry delay. */
  readonly nextCheckInMs: number;
}

/**
 * One check-in (as Java's `CheckInFlow`): prepare under the lock, talk to the server without it, apply the answer
 * under it again. A newer license in the answer installs itself; a revocation locks; a network failure or an answer
 * outside the contract changes nothing.
 */
export class CheckInFlow {
  constructor(
    private readonly engine: Engine,
    private readonly installer: Installer,
    readonly settings: ResolvedCheckIn,
    private readonly usage: (() => Readonly<Record<string, number>>) | undefined,
  ) {}

  async checkIn(): Promise<CheckInResult> {
    const { engine, settings } = this;
    engine.requireWritable("check in");
    const prepared = engine.locked(() => {
      engine.history.reloadIfChanged();
      const license = engine.history.inForce(engine.now().effective);
      if (!license) return undefined;
      let used: Readonly<Record<string, number>> = {};
      try {
        used = this.usage?.() ?? engine.usageRecord.current;
      } catch {
        // Usage is informational here; the check-in still matters.
      }
      const request = {
        license_id: license.signed.license.id,
        instance_id: settings.installationId ?? engine.instanceId(),
        instance_domain: engine.instanceDomain ?? null,
        usage: used,
        client_version: settings.clientVersion,
        node: settings.node,
      };
      return { license, request };
    });
    if (!prepared) {
      return { outcome: "NO_LICENSE", message: "no license is installed, so there is nothing to check in with", install: undefined, nextCheckInMs: settings.intervalMs };
    }
    let reply: CheckInReply;
    try {
      reply = await sendCheckIn(settings, prepared.request, prepared.license.hash);
    } catch (e) {
      return {
        outcome: "NETWORK_FAILURE",
        message: `the check-in server could not be reached (${(e as Error).message}); nothing changed`,
        install: undefined,
        nextCheckInMs: settings.retryAfterFailureMs,
      };
    }
    return engine.locked(() => this.apply(reply, prepared.license));
  }

  private apply(reply: CheckInReply, license: InstalledLicense): CheckInResult {
    const { engine, settings } = this;
    const t = engine.now();
    const id = license.signed.license.id;
    const next = bounded(reply.checkInAfterMs ?? settings.intervalMs);
    const result = (outcome: CheckInOutcome, message: string, install?: InstallResult, nextMs = next): CheckInResult => ({
      outcome,
      message,
      install,
      nextCheckInMs: nextMs,
    });
    switch (reply.kind) {
      case "UNEXPECTED":
        return result(
          "SERVER_ERROR",
          `the check-in server answered outside the contract: ${reply.reason ?? `status ${reply.status}`}; nothing changed`,
          undefined,
          settings.retryAfterFailureMs,
        );
      case "UNKNOWN_LICENSE":
        engine.record({ at: t.effective, name: "check_in_unknown_license", data: { license_id: id } }, (s) => s);
        return result("UNKNOWN_LICENSE", `the server does not know license ${id}; nothing changed`);
      case "CONFLICT":
        if (!engine.state.instance_conflict) {
          engine.record({ at: t.effective, name: "instance_conflict", data: { license_id: id } }, (s) => ({ ...s, instance_conflict: true }));
          engine.publish(t);
        }
        return result("INSTANCE_CONFLICT", `the server says another instance holds license ${id}`);
      case "REVOKED": {
        const reason = reply.reason ?? "no reason given";
        if (engine.state.revoked[id] === undefined) {
          engine.record({ at: t.effective, name: "revoked", data: { license_id: id, reason } }, (s) => ({
            ...s,
            revoked: { ...s.revoked, [id]: reason },
          }));
          engine.publish(t);
        }
        const before = engine.history.all().length;
        const installed = reply.license === undefined ? undefined : this.installer.installLocked(reply.license);
        const replaced = (installed?.inForce ?? false) && engine.history.all().length > before;
        return result(
          replaced ? "RENEWED" : "REVOKED",
          `the vendor revoked license ${id} (${reason})${replaced ? "; the license sent with it is installed" : "; the product is locked"}`,
          installed,
        );
      }
      case "OK": {
        const payment = reply.paymentFailing ? (reply.standingMessage ?? DEFAULT_PAYMENT_TEXT) : null;
        if (payment !== engine.state.payment_failing || engine.state.instance_conflict) {
          engine.record(
            { at: t.effective, name: "server_flags", data: { license_id: id, payment_failing: payment !== null, instance_conflict: false } },
            (s) => ({ ...s, payment_failing: payment, instance_conflict: false }),
          );
          engine.publish(t);
        }
        if (reply.license === undefined) return result("OK", `checked in license ${id}`);
        const before = engine.history.all().length;
        const installed = this.installer.installLocked(reply.license);
        const newer = installed.inForce && engine.history.all().length > before;
        return result(!installed.installed ? "LICENSE_REJECTED" : newer ? "RENEWED" : "OK", installed.message, installed);
      }
    }
  }
}
