/**
 * The stable outcome codes of DESIGN §3. The same names appear in Java, the CLI's JSON and HTTP problem
 * responses, so they must never be renamed.
 */
export const VerificationCode = {
  VALID: "VALID",
  MALFORMED: "MALFORMED",
  UNSUPPORTED_FORMAT: "UNSUPPORTED_FORMAT",
  UNKNOWN_KEY_ID: "UNKNOWN_KEY_ID",
  SIGNATURE_MISMATCH: "SIGNATURE_MISMATCH",
  NOT_YET_VALID: "NOT_YET_VALID",
  EXPIRED: "EXPIRED",
  INSTANCE_MISMATCH: "INSTANCE_MISMATCH",
  USAGE_EXCEEDS_LIMITS: "USAGE_EXCEEDS_LIMITS",
  REVOKED: "REVOKED",
} as const;
export type VerificationCode = (typeof VerificationCode)[keyof typeof VerificationCode];

/** The one root of the errors this package throws on purpose. */
export class KeyturnError extends Error {
  override readonly name: string = "KeyturnError";
}

/** A license file that cannot be read: MALFORMED or UNSUPPORTED_FORMAT, with what is wrong. */
export class LicenseFormatError extends KeyturnError {
  override readonly name = "LicenseFormatError";
  constructor(
    readonly code: "MALFORMED" | "UNSUPPORTED_FORMAT",
    message: string,
  ) {
    super(message);
  }

  static malformed(message: string): LicenseFormatError {
    return new LicenseFormatError("MALFORMED", message);
  }
}

/** A key file or key id that cannot be used. */
export class KeyError extends KeyturnError {
  override readonly name = "KeyError";
}

/** The client runtime could not do what was asked (a state directory it cannot write, a failing usage probe). */
export class ClientError extends KeyturnError {
  override readonly name = "ClientError";
}

/** The product asked to raise usage past the limit plus its overage allowance; nothing was changed. */
export class UsageLimitError extends ClientError {
  readonly code = "USAGE_OVER_ALLOWANCE";

  constructor(readonly decision: { readonly message: string }) {
    super(decision.message);
  }
}
