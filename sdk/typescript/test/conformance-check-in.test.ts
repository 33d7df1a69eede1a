import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { readLicense } from "../src/index.js";
import { bounded, checkInBody, decodeReply, resolveCheckIn, CHECK_IN_PATH, type CheckInRequest } from "../src/client/checkin.js";
import { CONFORMANCE, readJson } from "./support.js";

const file = join(CONFORMANCE, "vectors", "check-in.json");

describe("conformance: check-in.json", { skip: !existsSync(file) && "no check-in vectors" }, () => {
  const v = readJson<{
    endpoint: { path: string };
    intervals: { default_seconds: number; retry_after_failure_seconds: number; min_seconds: number; max_seconds: number };
    tokens: { name: string; file_base64: string; signature_hash: string; check_in_token: string }[];
    requests: { name: string; input: CheckInRequest; expected_body_text: string }[];
    answers: { name: string; status: number; body: string; expected: Record<string, unknown> }[];
  }>(file);
  const settings = resolveCheckIn({ server: "https://licenses.vendor.example" });

  it("uses the reference's endpoint and intervals", () => {
    assert.equal(CHECK_IN_PATH, v.endpoint.path);
    assert.equal(settings.intervalMs, v.intervals.default_seconds * 1000);
    assert.equal(settings.retryAfterFailureMs, v.intervals.retry_after_failure_seconds * 1000);
    assert.equal(bounded(0), v.intervals.min_seconds * 1000);
    assert.equal(bounded(1e12), v.intervals.max_seconds * 1000);
  });

  for (const t of v.tokens) {
    it(`token: ${t.name}`, () => {
      const signed = readLicense(Buffer.from(t.file_base64, "base64"));
      assert.equal(signed.signatureHash(), t.signature_hash);
      assert.equal(signed.checkInToken(), t.check_in_token);
    });
  }

  for (const r of v.requests) {
    it(`request: ${r.name}`, () => assert.equal(checkInBody(r.input), r.expected_body_text));
  }

  for (const a of v.answers) {
    it(`answer: ${a.name}`, () => {
      const reply = decodeReply(a.status, a.body);
      const next = reply.kind === "UNEXPECTED" ? settings.retryAfterFailureMs : bounded(reply.checkInAfterMs ?? settings.intervalMs);
      assert.deepEqual(
        {
          kind: reply.kind,
          reason: reply.reason ?? null,
          license: reply.license ?? null,
          check_in_after_seconds: reply.checkInAfterMs === undefined ? null : reply.checkInAfterMs / 1000,
          next_check_in_seconds: next / 1000,
          payment_failing: reply.paymentFailing,
          standing_message: reply.standingMessage ?? null,
        },
        a.expected,
      );
    });
  }
});
