import { verify as ed25519Verify } from "node:crypto";
import type { KeyRing } from "./crypto/keys.js";
import { LicenseFormatError, type VerificationCode } from "./errors.js";
import { normalizeDomain } from "./license/domain.js";
import { readLicense, type ReadLimits, type SignedLicense } from "./license/reader.js";
import { isoInstant } from "./time.js";

/**
 * The outcome of verifying a license file: a stable code, a message a person can act on, and the license when the
 * file could be read at all (present for every code but MALFORMED and UNSUPPORTED_FORMAT).
 */
export interface Verification {
  readonly code: VerificationCode;
  readonly message: string;
  readonly license: SignedLicense | undefined;
  readonly valid: boolean;
}

export interface VerifyOptions {
  /** The instant to verify at, epoch milliseconds or a Date. */
  readonly at: number | Date;
  /** The product's own instance domain; a license bound to another is INSTANCE_MISMATCH. */
  readonly instanceDomain?: string | undefined;
  readonly limits?: ReadLimits;
}

function result(code: VerificationCode, message: string, license?: SignedLicense): Verification {
  return Object.freeze({ code, message, license, valid: code === "VALID" });
}

/**
 * Full verification of a license file at an instant. Checks run from the most fundamental to the most transient
 * (readable, known format, trusted key, good signature, right instance, validity window), so the code names what
 * must be fixed first.
 */
export function verify(text: string | Uint8Array | SignedLicense, keys: KeyRing, options: VerifyOptions): Verification {
  let signed: SignedLicense;
  if (typeof text === "string" || text instanceof Uint8Array) {
    try {
      signed = readLicense(text, options.limits);
    } catch (e) {
      if (e instanceof LicenseFormatError) return result(e.code, e.message);
      throw e;
    }
  } else {
    signed = text;
  }
  const authentic = verifySignature(signed, keys);
  if (!authentic.valid) return authentic;
  const license = signed.license;
  const at = typeof options.at === "number" ? options.at : options.at.getTime();
  if (license.instanceDomain !== undefined && options.instanceDomain !== undefined) {
    const actual = normalizeDomain(options.instanceDomain);
    if (license.instanceDomain !== actual) {
      return result(
        "INSTANCE_MISMATCH",
        `this license is for the instance '${license.instanceDomain}', not '${actual}'; ask your vendor for a license issued to this instance`,
        signed,
      );
    }
  }
  if (at < license.notBefore) {
    return result(
      "NOT_YET_VALID",
      `this license becomes valid at ${isoInstant(license.notBefore)}; it is now ${isoInstant(at)}`,
      signed,
    );
  }
  if (at >= license.expiresAt) {
    return result(
      "EXPIRED",
      `this license expired at ${isoInstant(license.expiresAt)}; it is now ${isoInstant(at)}. Install the renewed license`,
      signed,
    );
  }
  return result("VALID", `valid for ${license.customer} until ${isoInstant(license.expiresAt)}`, signed);
}

/**
 * Only the authenticity checks (trusted key, good signature), whatever the time: an installed license that has
 * expired is still authentic and still gets its grace period from the lifecycle.
 */
export function verifySignature(signed: SignedLicense, keys: KeyRing): Verification {
  const keyId = signed.signature.keyId;
  const key = keys.find(keyId);
  if (!key) {
    return result(
      "UNKNOWN_KEY_ID",
      `the license is signed with key '${keyId}', which is not among the trusted keys [${keys.ids().join(", ")}]; add the vendor's public key ${keyId}.public.pem`,
      signed,
    );
  }
  if (!ed25519Verify(null, signed.canonicalBytes(), key, signed.signatureBytes())) {
    return result(
      "SIGNATURE_MISMATCH",
      "the signature does not match the contents: the [license] section was changed after signing, or the file was damaged. Use the file exactly as the vendor sent it",
      signed,
    );
  }
  return result("VALID", `signature valid (key '${keyId}')`, signed);
}
