import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it, type TestContext } from "node:test";
import { LicenseManager, SettableClock } from "../src/index.js";
import { resolveCheckIn } from "../src/client/checkin.js";
import { issue, tempDir, trustedKeys } from "./support.js";

const START = Date.parse("2027-03-01T09:00:00Z");
const LICENSE = { notBefore: "2027-02-01T00:00:00Z", expiresAt: "2027-04-01T00:00:00Z" };

interface Seen {
  authorization?: string;
  body?: Record<string, unknown>;
}

/** A Keyturn server stand-in speaking the check-in contract over real HTTP. */
async function server(t: TestContext, answer: (seen: Seen) => { status: number; body: unknown }): Promise<{ url: string; seen: Seen }> {
  const seen: Seen = {};
  const s = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.authorization = req.headers.authorization;
      seen.body = JSON.parse(body) as Record<string, unknown>;
      const a = answer(seen);
      res.writeHead(a.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  t.after(() => new Promise<void>((resolve) => s.close(() => resolve())));
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, seen };
}

function manager(t: TestContext, url: string, node: { installationId?: string; node?: string } = {}): LicenseManager {
  const m = new LicenseManager({
    stateDir: tempDir(t),
    trustedKeys: trustedKeys(),
    clock: new SettableClock(START),
    zone: "UTC",
    background: false,
    usage: () => ({ users: 7 }),
    checkIn: { server: url, ...node },
  });
  t.after(() => m.close());
  m.install(issue(LICENSE));
  return m;
}

describe("check-in", () => {
  it("sends the license token and usage, and installs the newer license the server sends", async (t) => {
    const renewal = issue({ id: "lic_renewed", notBefore: "2027-03-01T00:00:00Z", expiresAt: "2028-04-01T00:00:00Z" });
    const { url, seen } = await server(t, () => ({ status: 200, body: { standing: {}, revoked: false, license: renewal, check_in_after: "PT6H" } }));
    const m = manager(t, url);
    const r = await m.checkIn();
    assert.equal(r.outcome, "RENEWED", r.message);
    assert.equal(r.nextCheckInMs, 6 * 3600 * 1000);
    assert.match(seen.authorization ?? "", /^Bearer kt_lic_[0-9a-f]{64}$/);
    assert.deepEqual(seen.body?.["usage"], { users: 7 });
    assert.match(String(seen.body?.["instance_id"]), /^ki_[0-9a-f]{32}$/);
    assert.equal(m.standing().license?.id, "lic_renewed");
  });

  it("sends a multi-node installation's id and this node's name", async (t) => {
    const { url, seen } = await server(t, () => ({ status: 200, body: { standing: {}, revoked: false, license: null } }));
    const m = manager(t, url, { installationId: "acme-prod-cluster", node: "node-b.eu-west:2" });
    const r = await m.checkIn();
    assert.equal(r.outcome, "OK", r.message);
    assert.equal(seen.body?.["instance_id"], "acme-prod-cluster");
    assert.equal(seen.body?.["node"], "node-b.eu-west:2");
  });

  it("refuses a bad installation id or node", () => {
    for (const bad of ["", "a b", "n/1", "x".repeat(129)]) {
      assert.throws(() => resolveCheckIn({ server: "https://licenses.vendor.example", node: bad }), /node must be/);
      assert.throws(() => resolveCheckIn({ server: "https://licenses.vendor.example", installationId: bad }), /installationId must be/);
    }
  });

  it("locks on an explicit revocation, and flags a failing payment", async (t) => {
    let revoke = false;
    const { url } = await server(t, () =>
      revoke
        ? { status: 403, body: { revoked: true, reason: "chargeback" } }
        : { status: 200, body: { standing: {}, revoked: false, license: null, payment_failing: true } },
    );
    const m = manager(t, url);
    assert.equal((await m.checkIn()).outcome, "OK");
    assert.ok(m.standing().flags.includes("PAYMENT_FAILING"));
    revoke = true;
    const r = await m.checkIn();
    assert.equal(r.outcome, "REVOKED");
    assert.equal(m.mode(), "LOCKED");
    assert.match(m.standing().notices[0] ?? "", /The vendor revoked license lic_test_0001 \(chargeback\)/);
  });

  it("changes nothing on a server error or when the server cannot be reached", async (t) => {
    const { url } = await server(t, () => ({ status: 500, body: { error: "boom" } }));
    const m = manager(t, url);
    const r = await m.checkIn();
    assert.equal(r.outcome, "SERVER_ERROR");
    assert.equal(m.mode(), "FULL");
    const offline = manager(t, "http://127.0.0.1:9");
    assert.equal((await offline.checkIn()).outcome, "NETWORK_FAILURE");
    assert.equal(offline.mode(), "FULL");
  });
});
