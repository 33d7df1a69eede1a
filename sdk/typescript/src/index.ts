export { VerificationCode, KeyturnError, LicenseFormatError, KeyError, ClientError, UsageLimitError } from "./errors.js";
export { type Clock, systemClock, SettableClock, isoInstant, DAY, HOUR, MINUTE, SECOND } from "./time.js";
export { KeyRing, KeyRingBuilder, readPublicKeyPem } from "./crypto/keys.js";
export {
  readLicense,
  SignedLicense,
  DEFAULT_READ_LIMITS,
  type ReadLimits,
  type LicenseSignature,
} from "./license/reader.js";
export type { License, LicensePolicy, GraceMode } from "./license/license.js";
export { validatePolicyRules, type PolicyRules, type PolicyReminder } from "./license/rules.js";
export { normalizeDomain } from "./license/domain.js";
export { OffsetDateTime, LocalTemporal, type TomlValue, type TomlTable } from "./license/values.js";
export { verify, verifySignature, type Verification, type VerifyOptions } from "./verify.js";
export {
  Policy,
  PolicyBuilder,
  APPLIANCE,
  SUBSCRIPTION,
  EXPIRY,
  LOCK,
  RECIPIENTS,
  DEFAULT_NOTIFY,
  defaultNotify,
  recipientFromToml,
  type Recipient,
  type Phase,
  type Mode,
  type BannerLevel,
  type Dismissal,
  type LockAction,
  type Stage,
  type Reminder,
} from "./lifecycle/policy.js";
export { evaluate, noticeDue, stageId, type Standing, type Banner } from "./lifecycle/engine.js";
export { Zone } from "./lifecycle/zone.js";
export {
  evaluateUsage,
  increase,
  UsageStanding,
  type Grant,
  type LimitUsage,
  type UsageDecision,
  type UsageLevel,
} from "./lifecycle/usage.js";
export { LicenseManager, type LicenseManagerOptions, type DismissOutcome } from "./client/manager.js";
export type { InstallResult } from "./client/installer.js";
export type { CheckInResult, CheckInOutcome } from "./client/checkin-flow.js";
export {
  STANDING_FLAGS,
  UNLIMITED,
  type StandingFlag,
  type ClientStanding,
  type BannerView,
  type BannerDisplay,
  type LimitExcess,
} from "./client/standing.js";
export { AuditLog, type AuditEntry, type AuditVerification } from "./client/audit.js";
export type { CheckInSettings } from "./client/checkin.js";
export { licenseJson, type LicenseJson } from "./license/view.js";
export { KeyturnWeb } from "./web/web.js";
export { nodeMiddleware, expressMiddleware, type NodeHandler, type ExpressStyleMiddleware } from "./web/node.js";
export type { WebSettings } from "./web/settings.js";
export type { WebRequest, WebResponse } from "./web/http.js";
